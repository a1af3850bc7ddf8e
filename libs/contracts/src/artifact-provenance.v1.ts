import type { IntegrationEvent } from './integration-event.js';

/**
 * What Artifact Provenance publishes on `artifact-provenance.events.v1`, keyed by the stream id
 * (`artifact-<algorithm>-<hex>` for an artifact's facts, `gate-<decision id>` for a gate decision).
 * Digests are `sha256:<hex>`; the evidence documents themselves stay behind the API.
 */
export const ARTIFACT_PROVENANCE_V1 = {
  artifactRegistered: 'dev.compliance-ledger.artifact-provenance.artifact-registered.v1',
  attestationVerified: 'dev.compliance-ledger.artifact-provenance.attestation-verified.v1',
  sbomAttached: 'dev.compliance-ledger.artifact-provenance.sbom-attached.v1',
  gateDecided: 'dev.compliance-ledger.artifact-provenance.gate-decided.v1',
  promotionRecorded: 'dev.compliance-ledger.artifact-provenance.promotion-recorded.v1',
} as const;

export type ArtifactRegisteredV1 = IntegrationEvent<
  typeof ARTIFACT_PROVENANCE_V1.artifactRegistered,
  {
    digest: string;
    project: string;
    name: string;
    version: string | null;
    purl: string | null;
    /** `api` (POST /v1/artifacts) or `cdevent` (learned from Telemetry's artifact events). */
    learnedFrom: 'api' | 'cdevent';
  }
>;

/** Published only for attestations whose signature verified; unverified ones stay internal. */
export type AttestationVerifiedV1 = IntegrationEvent<
  typeof ARTIFACT_PROVENANCE_V1.attestationVerified,
  {
    digest: string;
    project: string;
    attestationId: string;
    predicateType: string;
    /** `dsse` (project trusted keys) or `sigstore` (bundle against the trusted root). */
    signer: 'dsse' | 'sigstore';
    /** Trusted key ids (dsse) or the certificate identity `issuer subject` (sigstore). */
    verifiedBy: string[];
    builderId: string | null;
  }
>;

export type SbomAttachedV1 = IntegrationEvent<
  typeof ARTIFACT_PROVENANCE_V1.sbomAttached,
  {
    digest: string;
    project: string;
    sbomId: string;
    format: 'CycloneDX' | 'SPDX';
    specVersion: string;
    components: number;
    vulnerabilities: number;
    /** sha256 of the document as received, hex. */
    documentSha256: string;
  }
>;

export interface GateCheckV1 {
  readonly name: string;
  readonly passed: boolean;
  readonly reason: string;
}

/** Every gate decision, shaped like a SLSA verification summary: verifier, time, resource, policy, result. */
export type GateDecidedV1 = IntegrationEvent<
  typeof ARTIFACT_PROVENANCE_V1.gateDecided,
  {
    decisionId: string;
    gate: 'deployment' | 'build' | 'infrastructure';
    project: string;
    /** The artifact digest (deployment, build) or the plan's sha256 (infrastructure). */
    resource: string;
    environment: string | null;
    allowed: boolean;
    mode: 'enforce' | 'audit';
    /** Reasons it would deny (in audit mode it allows anyway). */
    wouldDeny: string[];
    checks: GateCheckV1[];
    policyVersion: string;
    verifiedLevels: string[];
    decidedAt: string;
  }
>;

/** A digest allowed into an environment by its deployment gate. */
export type PromotionRecordedV1 = IntegrationEvent<
  typeof ARTIFACT_PROVENANCE_V1.promotionRecorded,
  { digest: string; project: string; environment: string; service: string; decisionId: string }
>;

export type ArtifactProvenanceEventV1 = ArtifactRegisteredV1 | AttestationVerifiedV1 | SbomAttachedV1 | GateDecidedV1 | PromotionRecordedV1;
