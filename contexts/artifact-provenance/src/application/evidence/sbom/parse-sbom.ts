import { FieldErrors, isJsonObject } from '../json-fields.js';
import { parseCycloneDxSbom } from './cyclonedx-sbom.js';
import type { SbomSummary } from './sbom-summary.js';
import { parseSpdxSbom } from './spdx-sbom.js';

/**
 * Reads a CycloneDX or SPDX JSON document (already parsed, as the HTTP edge parses bodies),
 * telling them apart by `bomFormat` / `spdxVersion`. Throws kernel `Invalid` with field errors.
 */
export function parseSbom(input: unknown): SbomSummary {
  if (isJsonObject(input)) {
    if (input['bomFormat'] !== undefined) return parseCycloneDxSbom(input);
    if (input['spdxVersion'] !== undefined) return parseSpdxSbom(input);
  }
  const errors = new FieldErrors();
  errors.add('', 'must be a CycloneDX (bomFormat, specVersion) or SPDX (spdxVersion) JSON document');
  errors.throwIfAny('the SBOM');
  throw new Error('unreachable');
}
