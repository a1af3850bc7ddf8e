import type { VulnerabilitySeverity } from '../../../domain/vulnerability-severity.js';

/** What an SBOM says, in one shape for CycloneDX and SPDX. */
export interface SbomSummary {
  readonly format: 'CycloneDX' | 'SPDX';
  /** `1.5`, `1.6` (CycloneDX) or `SPDX-2.3` (SPDX). */
  readonly specVersion: string;
  /** CycloneDX `serialNumber` (urn:uuid) or SPDX `documentNamespace`. */
  readonly serialNumber: string | undefined;
  /** CycloneDX BOM `version`; undefined for SPDX. */
  readonly version: number | undefined;
  /** When the SBOM was made (CycloneDX `metadata.timestamp`, SPDX `creationInfo.created`), UTC; what `sbomMaxAgeDays` ages. */
  readonly created: string | undefined;
  /** What the SBOM describes: CycloneDX `metadata.component`, or the first package SPDX `documentDescribes`. */
  readonly subject: SbomComponent | undefined;
  /** CycloneDX components (nested ones flattened, in document order); SPDX packages. */
  readonly components: readonly SbomComponent[];
  /** CycloneDX `vulnerabilities`; SPDX 2.3 carries none. */
  readonly vulnerabilities: readonly SbomVulnerability[];
}

export interface SbomComponent {
  /** CycloneDX `bom-ref` or SPDX `SPDXID`. */
  readonly ref: string | undefined;
  readonly name: string;
  readonly version: string | undefined;
  readonly purl: string | undefined;
  readonly hashes: readonly ComponentHash[];
  /** SPDX license ids or expressions, or license names where no id is given; SPDX NOASSERTION is left out. */
  readonly licenses: readonly string[];
}

export interface ComponentHash {
  /** In-toto style name: `sha256`, `sha3_256`, `blake2b_256`, `md5`. */
  readonly algorithm: string;
  /** Lower-case hex. */
  readonly value: string;
}

export interface SbomVulnerability {
  /** e.g. `CVE-2021-44228`; undefined when the producer gave none. */
  readonly id: string | undefined;
  /** Other ids for the same vulnerability (CycloneDX `references[].id`). */
  readonly aliases: readonly string[];
  /** The highest of its ratings; `unknown` when none is ranked. */
  readonly severity: VulnerabilitySeverity;
  readonly affects: readonly AffectedComponent[];
  /** CycloneDX `analysis.state` (`not_affected`, `exploitable`, …), when analysed. */
  readonly analysisState: string | undefined;
  readonly analysisJustification: string | undefined;
}

export interface AffectedComponent {
  readonly ref: string;
  /** The purl of the component `ref` names, when it is in this document and has one. */
  readonly purl: string | undefined;
}
