import { readCycloneDx } from '../sbom/cyclonedx-sbom.js';
import type { VexStatement, VexStatus } from './vex-statement.js';

/**
 * CycloneDX impact-analysis states as VEX statuses, as CycloneDX maps them to the VEX minimum
 * elements: a false positive is a statement that the component is not affected; resolved means fixed.
 */
const STATUS_OF_STATE: Readonly<Record<string, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

/**
 * The VEX statements of a CycloneDX BOM or VEX document: one per analysed vulnerability, about the
 * components its `affects` names (as purls where the document has them, else the ref as given,
 * e.g. a BOM-Link into the SBOM it speaks about). Unanalysed vulnerabilities state nothing.
 * Throws kernel `Invalid` when the document is not a valid CycloneDX 1.5/1.6 BOM.
 */
export function readCycloneDxVex(input: unknown): VexStatement[] {
  const { summary } = readCycloneDx(input);
  const out: VexStatement[] = [];
  for (const v of summary.vulnerabilities) {
    const status = v.analysisState === undefined ? undefined : STATUS_OF_STATE[v.analysisState];
    if (v.id === undefined || status === undefined) continue;
    out.push({
      vulnerability: v.id,
      aliases: v.aliases,
      products: v.affects.map((a) => a.purl ?? a.ref),
      subcomponents: [],
      status,
      justification: v.analysisJustification,
      impactStatement: undefined,
      timestamp: summary.created,
      format: 'CycloneDX',
    });
  }
  return out;
}
