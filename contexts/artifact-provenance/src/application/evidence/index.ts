// The evidence layer of Artifact Provenance: pure parsing and verification, no I/O, no Nest.
export { parseDsseEnvelope, MAX_DSSE_SIGNATURES, type DsseEnvelope, type DsseSignature } from './dsse/dsse-envelope.js';
export { preAuthenticationEncoding } from './dsse/pae.js';
export { verifyDsseEnvelope, meetsThreshold, type DsseVerification, type SignatureOutcome } from './dsse/dsse-verifier.js';
export { loadTrustedKeys, type TrustedKey, type UnusableKey } from './dsse/trusted-keys.js';
export {
  parseInTotoStatement,
  parseStatementPayload,
  statementNamesArtifact,
  isInTotoPayloadType,
  STATEMENT_V1,
  STATEMENT_V0_1,
  IN_TOTO_PAYLOAD_TYPE,
  type InTotoStatement,
  type StatementSubject,
} from './in-toto/in-toto-statement.js';
export type { DigestSet } from './in-toto/digest-set.js';
export type { ResourceDescriptor } from './in-toto/resource-descriptor.js';
export { readAttestationPredicate, KNOWN_PREDICATE_TYPES, type AttestationPredicate } from './predicates/attestation-predicate.js';
export { parseSlsaProvenance, SLSA_PROVENANCE_V1, type SlsaProvenance } from './predicates/slsa-provenance.js';
export {
  GITHUB_WORKFLOW_BUILD_TYPES,
  normalizeRepository,
  sameRepository,
  refMatches,
  type SourceFacts,
} from './predicates/source-facts.js';
export { parseTestResult, TEST_RESULT_V0_1, type TestResult } from './predicates/test-result.js';
export { parseVerificationSummary, VERIFICATION_SUMMARY_V1, type VerificationSummary } from './predicates/verification-summary.js';
export {
  verifySigstoreBundle,
  type SigstorePolicy,
  type SigstoreThresholds,
  type SigstoreVerification,
} from './sigstore/sigstore-verifier.js';
export {
  parseSigstoreBundle,
  SIGSTORE_BUNDLE_MEDIA_TYPES,
  type SigstoreBundle,
  type SigstoreBundleVersion,
} from './sigstore/sigstore-bundle.js';
export { loadSigstoreTrustedRoot, TRUSTED_ROOT_MEDIA_TYPES, type SigstoreTrustedRoot } from './sigstore/trusted-root.js';
export {
  parseAllowedIdentities,
  findAllowedIdentity,
  type AllowedIdentity,
  type CertificateIdentity,
} from './sigstore/allowed-identity.js';
export { parseSbom } from './sbom/parse-sbom.js';
export { parseCycloneDxSbom } from './sbom/cyclonedx-sbom.js';
export { parseSpdxSbom } from './sbom/spdx-sbom.js';
export { normalizePurl } from './sbom/package-url.js';
export type { SbomSummary, SbomComponent, SbomVulnerability, ComponentHash, AffectedComponent } from './sbom/sbom-summary.js';
export { parseOpenVex, OPENVEX_CONTEXT_V0_2_0, type OpenVexDocument } from './vex/openvex.js';
export { readCycloneDxVex } from './vex/cyclonedx-vex.js';
export { buildVexIndex, type VexIndex } from './vex/vex-index.js';
export type { VexStatement, VexStatus } from './vex/vex-statement.js';
