import { exceedsBytes, identifierLengthMessage } from '#kernel';
import { FieldErrors, isJsonObject, type JsonObject } from '../json-fields.js';
import { isSchemaHashContent, normalizeHashAlgorithm } from './hash-algorithm.js';
import type { ComponentHash, SbomComponent } from './sbom-summary.js';

const COMPONENT_TYPES = new Set([
  'application',
  'framework',
  'library',
  'container',
  'platform',
  'operating-system',
  'device',
  'device-driver',
  'firmware',
  'file',
  'machine-learning-model',
  'data',
  'cryptographic-asset',
]);
const HASH_ALGORITHMS = new Set([
  'MD5',
  'SHA-1',
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
]);

/** Components by `bom-ref`, for resolving vulnerability `affects` and VEX references. */
export type ComponentsByRef = Map<string, SbomComponent>;

/**
 * Reads CycloneDX components, nested ones included (flattened in document order), checking what
 * the 1.5/1.6 schema requires of the fields kept: `type` and `name`, `bom-ref` unique in the BOM,
 * hash algorithm and hex, license choice. Iterative, so nesting depth costs no stack; one pass,
 * so 10,000 components cost about what parsing them did.
 */
export function readCycloneDxComponents(
  list: readonly unknown[],
  base: string,
  errors: FieldErrors,
  byRef: ComponentsByRef,
  out: SbomComponent[],
): void {
  const stack: { value: unknown; at: string }[] = [];
  for (let i = list.length - 1; i >= 0; i--) stack.push({ value: list[i], at: `${base}/${i}` });
  while (stack.length > 0 && !errors.full) {
    const { value, at } = stack.pop()!;
    const component = readComponent(value, at, errors, byRef);
    if (component === undefined) continue;
    out.push(component.summary);
    const children = component.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], at: `${at}/components/${i}` });
  }
}

/** Reads one component (not its children); undefined when it is not an object. */
export function readComponent(
  value: unknown,
  at: string,
  errors: FieldErrors,
  byRef: ComponentsByRef,
): { summary: SbomComponent; children: readonly unknown[] } | undefined {
  if (!isJsonObject(value)) return void errors.add(at, 'must be a component object {type, name, …}');
  const type = value['type'];
  if (typeof type !== 'string' || !COMPONENT_TYPES.has(type)) {
    errors.add(`${at}/type`, type === undefined ? 'is required' : 'must be a CycloneDX component type such as library or application');
  }
  const name = text(value, 'name', at, errors, true);
  const version = text(value, 'version', at, errors, false);
  const purl = text(value, 'purl', at, errors, false);
  if (purl !== undefined && !purl.startsWith('pkg:')) errors.add(`${at}/purl`, 'must be a package URL starting with "pkg:"');
  const ref = text(value, 'bom-ref', at, errors, false);
  const summary: SbomComponent = {
    ref,
    name: name ?? '',
    version,
    purl,
    hashes: readHashes(value['hashes'], `${at}/hashes`, errors),
    licenses: readLicenseChoice(value['licenses'], `${at}/licenses`, errors),
  };
  if (ref !== undefined) {
    if (ref.length === 0) errors.add(`${at}/bom-ref`, 'must not be empty');
    else if (byRef.has(ref)) errors.add(`${at}/bom-ref`, `"${ref}" is used by another element; every bom-ref must be unique`);
    else byRef.set(ref, summary);
  }
  const children = value['components'];
  if (children !== undefined && !Array.isArray(children)) errors.add(`${at}/components`, 'must be an array');
  return { summary, children: Array.isArray(children) ? (children as unknown[]) : [] };
}

/** A string member held as an identifier (name, version, purl, bom-ref). */
function text(obj: JsonObject, key: string, at: string, errors: FieldErrors, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) errors.add(`${at}/${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') return void errors.add(`${at}/${key}`, 'must be a string');
  if (exceedsBytes(v)) return void errors.add(`${at}/${key}`, identifierLengthMessage());
  return v;
}

function readHashes(value: unknown, at: string, errors: FieldErrors): ComponentHash[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array of {alg, content}');
    return [];
  }
  const out: ComponentHash[] = [];
  for (let i = 0; i < value.length; i++) {
    const h: unknown = value[i];
    if (!isJsonObject(h)) {
      errors.add(`${at}/${i}`, 'must be an object {alg, content}');
      continue;
    }
    const { alg, content } = h;
    if (typeof alg !== 'string' || !HASH_ALGORITHMS.has(alg))
      errors.add(`${at}/${i}/alg`, 'must be a CycloneDX hash algorithm such as SHA-256');
    else if (typeof content !== 'string' || !isSchemaHashContent(content)) errors.add(`${at}/${i}/content`, 'must be a hex digest');
    else out.push({ algorithm: normalizeHashAlgorithm(alg), value: content.toLowerCase() });
  }
  return out;
}

/** CycloneDX license choice: a list of `{license: {id | name}}`, or exactly one `{expression}`. */
export function readLicenseChoice(value: unknown, at: string, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(at, 'must be an array');
    return [];
  }
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const choice: unknown = value[i];
    if (!isJsonObject(choice)) {
      errors.add(`${at}/${i}`, 'must be {license: {id | name}} or {expression}');
      continue;
    }
    if (typeof choice['expression'] === 'string') {
      if (value.length > 1) errors.add(`${at}/${i}`, 'an SPDX license expression must stand alone in licenses');
      out.push(choice['expression']);
      continue;
    }
    const license = choice['license'];
    const id = isJsonObject(license) ? (license['id'] ?? license['name']) : undefined;
    if (typeof id === 'string' && id.length > 0) out.push(id);
    else errors.add(`${at}/${i}`, 'must be {license: {id | name}} or {expression}');
  }
  return out;
}
