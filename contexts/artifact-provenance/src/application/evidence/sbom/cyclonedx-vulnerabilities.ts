import {
  highestSeverity,
  severityOfCvssScore,
  toVulnerabilitySeverity,
  type VulnerabilitySeverity,
} from '../../../domain/vulnerability-severity.js';
import { FieldErrors, isJsonObject } from '../json-fields.js';
import type { ComponentsByRef } from './cyclonedx-components.js';
import type { AffectedComponent, SbomVulnerability } from './sbom-summary.js';
import { keepFirst, sizedArray } from './sized-array.js';

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown']);
const ANALYSIS_STATES = new Set(['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected']);
/** Methods whose scores follow the CVSS v3/v4 bands; a CVSS v2 or OWASP score says nothing about our bands. */
const CVSS_V3_V4 = new Set(['CVSSv3', 'CVSSv31', 'CVSSv4']);

/**
 * Reads CycloneDX `vulnerabilities` (SBOM or VEX): id, aliases, the highest rating, affected refs
 * resolved to purls where this document names them, and the analysis state. A `ref` may be a
 * BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`); one into this BOM resolves like a plain ref.
 */
export function readCycloneDxVulnerabilities(
  list: readonly unknown[],
  base: string,
  errors: FieldErrors,
  byRef: ComponentsByRef,
  serialNumber: string | undefined,
): SbomVulnerability[] {
  const out: SbomVulnerability[] = [];
  // Pointers are built only to report an error (`${base}/${i}`), as in the component readers.
  for (let i = 0; i < list.length && !errors.full; i++) {
    const v: unknown = list[i];
    if (!isJsonObject(v)) {
      errors.add(`${base}/${i}`, 'must be a vulnerability object');
      continue;
    }
    const id = typeof v['id'] === 'string' ? v['id'] : undefined;
    if (v['id'] !== undefined && id === undefined) errors.add(`${base}/${i}/id`, 'must be a string');
    const analysis = isJsonObject(v['analysis']) ? v['analysis'] : undefined;
    const state = analysis?.['state'];
    if (state !== undefined && (typeof state !== 'string' || !ANALYSIS_STATES.has(state))) {
      errors.add(`${base}/${i}/analysis/state`, 'must be a CycloneDX impact analysis state such as not_affected or exploitable');
    }
    out.push({
      id,
      aliases: readAliases(v['references']),
      severity: readSeverity(v['ratings'], base, i, errors),
      affects: readAffects(v['affects'], base, i, errors, byRef, serialNumber),
      analysisState: typeof state === 'string' ? state : undefined,
      analysisJustification: typeof analysis?.['justification'] === 'string' ? analysis['justification'] : undefined,
    });
  }
  return out;
}

function readAliases(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out = sizedArray<string>(value.length);
  let kept = 0;
  for (const r of value as unknown[]) if (isJsonObject(r) && typeof r['id'] === 'string') out[kept++] = r['id'];
  return keepFirst(out, kept);
}

function readSeverity(value: unknown, base: string, index: number, errors: FieldErrors): VulnerabilitySeverity {
  if (!Array.isArray(value)) {
    if (value !== undefined) errors.add(`${base}/${index}/ratings`, 'must be an array of ratings');
    return 'unknown';
  }
  const ratings = value as unknown[];
  const severities = sizedArray<VulnerabilitySeverity>(ratings.length);
  let kept = 0;
  for (let i = 0; i < ratings.length; i++) {
    if (!(i in ratings)) continue; // a hole (never in parsed JSON): skipped, as forEach would
    const rating = ratings[i];
    if (!isJsonObject(rating)) {
      errors.add(`${base}/${index}/ratings/${i}`, 'must be a rating object');
      continue;
    }
    const { severity, score, method } = rating;
    if (severity !== undefined) {
      if (typeof severity === 'string' && SEVERITIES.has(severity)) severities[kept++] = toVulnerabilitySeverity(severity);
      else errors.add(`${base}/${index}/ratings/${i}/severity`, 'must be one of critical, high, medium, low, info, none, unknown');
    } else if (typeof score === 'number' && typeof method === 'string' && CVSS_V3_V4.has(method)) {
      severities[kept++] = severityOfCvssScore(score);
    }
  }
  return highestSeverity(keepFirst(severities, kept));
}

function readAffects(
  value: unknown,
  base: string,
  index: number,
  errors: FieldErrors,
  byRef: ComponentsByRef,
  serialNumber: string | undefined,
): AffectedComponent[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.add(`${base}/${index}/affects`, 'must be an array of {ref}');
    return [];
  }
  const affects = value as unknown[];
  const out = sizedArray<AffectedComponent>(affects.length);
  let kept = 0;
  for (let i = 0; i < affects.length; i++) {
    if (!(i in affects)) continue; // a hole (never in parsed JSON): skipped, as forEach would
    const a = affects[i];
    const ref = isJsonObject(a) ? a['ref'] : undefined;
    if (typeof ref !== 'string' || ref.length === 0) {
      errors.add(`${base}/${index}/affects/${i}/ref`, 'is required: the bom-ref of the affected component');
      continue;
    }
    out[kept++] = { ref, purl: byRef.get(localRef(ref, serialNumber))?.purl };
  }
  return keepFirst(out, kept);
}

/** The bom-ref a BOM-Link into this BOM names, or the ref itself. */
function localRef(ref: string, serialNumber: string | undefined): string {
  if (!ref.startsWith('urn:cdx:') || serialNumber === undefined) return ref;
  const hash = ref.indexOf('#');
  if (hash === -1) return ref;
  const serial = ref.slice('urn:cdx:'.length, ref.indexOf('/') === -1 ? hash : ref.indexOf('/'));
  if (`urn:uuid:${serial}` !== serialNumber) return ref;
  try {
    return decodeURIComponent(ref.slice(hash + 1));
  } catch {
    return ref;
  }
}
