import { isRfc3339DateTime } from '#cdevents';
import { instantProblem } from '#kernel';
import { FieldErrors, isJsonObject, type JsonObject } from '../json-fields.js';
import { readComponent, readCycloneDxComponents, type ComponentsByRef } from './cyclonedx-components.js';
import { readCycloneDxVulnerabilities } from './cyclonedx-vulnerabilities.js';
import type { SbomComponent, SbomSummary } from './sbom-summary.js';

export const CYCLONEDX_SPEC_VERSIONS: readonly string[] = ['1.5', '1.6'];
const SERIAL = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The parts of a CycloneDX BOM the summary and VEX readers share, with the bom-ref index. */
export interface CycloneDxDocument {
  readonly summary: SbomSummary;
  readonly byRef: ComponentsByRef;
}

/**
 * Reads a CycloneDX 1.5 or 1.6 JSON BOM into the common summary, checking structurally what the
 * summary keeps (see readComponent); other parts (services, dependencies, formulation) are not
 * read. Throws kernel `Invalid` with field errors.
 */
export function parseCycloneDxSbom(input: unknown): SbomSummary {
  return readCycloneDx(input).summary;
}

export function readCycloneDx(input: unknown): CycloneDxDocument {
  const errors = new FieldErrors();
  if (!isJsonObject(input)) {
    errors.add('', 'must be a CycloneDX BOM object');
    errors.throwIfAny('the CycloneDX BOM');
  }
  const bom = input as JsonObject;
  if (bom['bomFormat'] !== 'CycloneDX') errors.add('/bomFormat', 'must be "CycloneDX"');
  const specVersion = bom['specVersion'];
  if (typeof specVersion !== 'string' || !CYCLONEDX_SPEC_VERSIONS.includes(specVersion)) {
    errors.add('/specVersion', `must be one of ${CYCLONEDX_SPEC_VERSIONS.join(', ')} (the CycloneDX versions read here)`);
  }
  const serial = bom['serialNumber'];
  if (serial !== undefined && (typeof serial !== 'string' || !SERIAL.test(serial)))
    errors.add('/serialNumber', 'must be an RFC 4122 URN, urn:uuid:<uuid>');
  const version = bom['version'];
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)) {
    errors.add('/version', 'must be a whole number ≥ 1');
  }
  const serialNumber = typeof serial === 'string' ? serial.toLowerCase() : undefined;

  const byRef: ComponentsByRef = new Map();
  const metadata = bom['metadata'];
  let created: string | undefined;
  let subject: SbomComponent | undefined;
  if (metadata !== undefined && !isJsonObject(metadata)) errors.add('/metadata', 'must be an object');
  if (isJsonObject(metadata)) {
    created = readTimestamp(metadata['timestamp'], '/metadata/timestamp', errors);
    if (metadata['component'] !== undefined) subject = readComponent(metadata['component'], '/metadata/component', -1, errors, byRef);
  }

  const components: SbomComponent[] = [];
  const list = bom['components'];
  if (list !== undefined && !Array.isArray(list)) errors.add('/components', 'must be an array');
  if (Array.isArray(list)) readCycloneDxComponents(list as unknown[], '/components', errors, byRef, components);

  const vulnerabilityList = bom['vulnerabilities'];
  if (vulnerabilityList !== undefined && !Array.isArray(vulnerabilityList)) errors.add('/vulnerabilities', 'must be an array');
  const vulnerabilities = Array.isArray(vulnerabilityList)
    ? readCycloneDxVulnerabilities(vulnerabilityList as unknown[], '/vulnerabilities', errors, byRef, serialNumber)
    : [];

  errors.throwIfAny('the CycloneDX BOM');
  return {
    summary: {
      format: 'CycloneDX',
      specVersion: specVersion as string,
      serialNumber,
      version: typeof version === 'number' ? version : undefined,
      created,
      subject,
      components,
      vulnerabilities,
    },
    byRef,
  };
}

/** An RFC 3339 instant within the ledger's range, in UTC; undefined (with an error) otherwise. */
export function readTimestamp(value: unknown, at: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !isRfc3339DateTime(value))
    return void errors.add(at, 'must be an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z');
  const problem = instantProblem(value);
  if (problem !== undefined) return void errors.add(at, problem);
  return new Date(Date.parse(value)).toISOString();
}
