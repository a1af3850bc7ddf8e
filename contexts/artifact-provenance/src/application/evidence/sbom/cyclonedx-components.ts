import { exceedsBytes, identifierLengthMessage } from '#kernel';
import { FieldErrors, isJsonObject, type JsonObject } from '../json-fields.js';
import { normalizeHashAlgorithm, schemaHashDigest } from './hash-algorithm.js';
import type { ComponentHash, SbomComponent } from './sbom-summary.js';
import { keepFirst, sizedArray } from './sized-array.js';

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
/** CycloneDX hash algorithms, each with its in-toto name, so one lookup checks and normalises. */
const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map(
  [
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
  ].map((alg) => [alg, normalizeHashAlgorithm(alg)]),
);
const NO_CHILDREN: readonly unknown[] = [];

/** Components by `bom-ref`, for resolving vulnerability `affects` and VEX references. */
export type ComponentsByRef = Map<string, SbomComponent>;

/**
 * The JSON Pointer of item `index` of the array at `base`, or `base` itself when index is -1.
 * Readers carry (base, index) and build a pointer only to report an error: on a valid
 * 10,000-component SBOM, building every pointer up front was a large share of the work.
 */
const pointerAt = (base: string, index: number): string => (index < 0 ? base : `${base}/${index}`);

/**
 * Reads CycloneDX components, nested ones included (flattened in document order), checking what
 * the 1.5/1.6 schema requires of the fields kept: `type` and `name`, `bom-ref` unique in the BOM,
 * hash algorithm and hex, license choice. Iterative (a stack of the arrays being walked), so
 * nesting depth costs no call stack; one pass, allocating little beyond the summary itself.
 */
export function readCycloneDxComponents(
  list: readonly unknown[],
  base: string,
  errors: FieldErrors,
  byRef: ComponentsByRef,
  out: SbomComponent[],
): void {
  // Depth-first, pre-order: lists[d] is being walked at next[d], and its items' pointers start with bases[d].
  const lists: (readonly unknown[])[] = [list];
  const bases: string[] = [base];
  const next: number[] = [0];
  while (lists.length > 0 && !errors.full) {
    const depth = lists.length - 1;
    const current = lists[depth]!;
    const i = next[depth]!;
    if (i >= current.length) {
      lists.pop();
      bases.pop();
      next.pop();
      continue;
    }
    next[depth] = i + 1;
    const value = current[i];
    const summary = readComponent(value, bases[depth]!, i, errors, byRef);
    if (summary === undefined) continue;
    out.push(summary);
    const children = childrenOf(value as JsonObject);
    if (children.length > 0) {
      lists.push(children);
      bases.push(`${bases[depth]!}/${i}/components`);
      next.push(0);
    }
  }
}

const childrenOf = (component: JsonObject): readonly unknown[] => {
  const children = component['components'];
  return Array.isArray(children) ? (children as unknown[]) : NO_CHILDREN;
};

/**
 * Reads one component (not its children, though it checks that `components` is an array), at
 * pointerAt(base, index); undefined when it is not an object.
 */
export function readComponent(
  value: unknown,
  base: string,
  index: number,
  errors: FieldErrors,
  byRef: ComponentsByRef,
): SbomComponent | undefined {
  if (!isJsonObject(value)) return void errors.add(pointerAt(base, index), 'must be a component object {type, name, …}');
  const type = value['type'];
  if (typeof type !== 'string' || !COMPONENT_TYPES.has(type)) {
    errors.add(
      `${pointerAt(base, index)}/type`,
      type === undefined ? 'is required' : 'must be a CycloneDX component type such as library or application',
    );
  }
  const name = text(value, 'name', base, index, errors, true);
  const version = text(value, 'version', base, index, errors, false);
  const purl = text(value, 'purl', base, index, errors, false);
  if (purl !== undefined && !purl.startsWith('pkg:'))
    errors.add(`${pointerAt(base, index)}/purl`, 'must be a package URL starting with "pkg:"');
  const ref = text(value, 'bom-ref', base, index, errors, false);
  const summary: SbomComponent = {
    ref,
    name: name ?? '',
    version,
    purl,
    hashes: readHashes(value['hashes'], base, index, errors),
    licenses: readLicenses(value['licenses'], base, index, errors),
  };
  if (ref !== undefined) {
    if (ref.length === 0) errors.add(`${pointerAt(base, index)}/bom-ref`, 'must not be empty');
    else if (byRef.has(ref))
      errors.add(`${pointerAt(base, index)}/bom-ref`, `"${ref}" is used by another element; every bom-ref must be unique`);
    else byRef.set(ref, summary);
  }
  const children = value['components'];
  if (children !== undefined && !Array.isArray(children)) errors.add(`${pointerAt(base, index)}/components`, 'must be an array');
  return summary;
}

/** A string member held as an identifier (name, version, purl, bom-ref). */
function text(obj: JsonObject, key: string, base: string, index: number, errors: FieldErrors, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) errors.add(`${pointerAt(base, index)}/${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') return void errors.add(`${pointerAt(base, index)}/${key}`, 'must be a string');
  if (exceedsBytes(v)) return void errors.add(`${pointerAt(base, index)}/${key}`, identifierLengthMessage());
  return v;
}

function readHashes(value: unknown, base: string, index: number, errors: FieldErrors): ComponentHash[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(`${pointerAt(base, index)}/hashes`, 'must be an array of {alg, content}');
    return [];
  }
  const out = sizedArray<ComponentHash>(value.length);
  let kept = 0;
  for (let i = 0; i < value.length; i++) {
    const h: unknown = value[i];
    if (!isJsonObject(h)) {
      errors.add(`${pointerAt(base, index)}/hashes/${i}`, 'must be an object {alg, content}');
      continue;
    }
    const { alg, content } = h;
    const algorithm = typeof alg === 'string' ? HASH_ALGORITHMS.get(alg) : undefined;
    if (algorithm === undefined)
      errors.add(`${pointerAt(base, index)}/hashes/${i}/alg`, 'must be a CycloneDX hash algorithm such as SHA-256');
    else {
      const digest = typeof content === 'string' ? schemaHashDigest(content) : undefined;
      if (digest === undefined) errors.add(`${pointerAt(base, index)}/hashes/${i}/content`, 'must be a hex digest');
      else out[kept++] = { algorithm, value: digest };
    }
  }
  return keepFirst(out, kept);
}

/** CycloneDX license choice: a list of `{license: {id | name}}`, or exactly one `{expression}`. */
function readLicenses(value: unknown, base: string, index: number, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(`${pointerAt(base, index)}/licenses`, 'must be an array');
    return [];
  }
  const out = sizedArray<string>(value.length);
  let kept = 0;
  for (let i = 0; i < value.length; i++) {
    const choice: unknown = value[i];
    if (!isJsonObject(choice)) {
      errors.add(`${pointerAt(base, index)}/licenses/${i}`, 'must be {license: {id | name}} or {expression}');
      continue;
    }
    const expression = choice['expression'];
    if (typeof expression === 'string') {
      if (value.length > 1)
        errors.add(`${pointerAt(base, index)}/licenses/${i}`, 'an SPDX license expression must stand alone in licenses');
      out[kept++] = expression;
      continue;
    }
    const license = choice['license'];
    const id = isJsonObject(license) ? (license['id'] ?? license['name']) : undefined;
    if (typeof id === 'string' && id.length > 0) out[kept++] = id;
    else errors.add(`${pointerAt(base, index)}/licenses/${i}`, 'must be {license: {id | name}} or {expression}');
  }
  return keepFirst(out, kept);
}
