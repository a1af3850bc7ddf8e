import { exceedsBytes, identifierLengthMessage } from '#kernel';
import { isUri } from '#cdevents';
import { FieldErrors, isJsonObject, type JsonObject } from '../json-fields.js';
import { readTimestamp } from './cyclonedx-sbom.js';
import { hexDigest, normalizeHashAlgorithm } from './hash-algorithm.js';
import type { ComponentHash, SbomComponent, SbomSummary } from './sbom-summary.js';
import { keepFirst, sizedArray } from './sized-array.js';

/** SPDX 2.3 is the version read here; 2.2 documents have the same JSON shape for every field kept, so they are read too. */
export const SPDX_VERSIONS: readonly string[] = ['SPDX-2.3', 'SPDX-2.2'];
const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
/** SPDX checksum algorithms, each with its in-toto name, so one lookup checks and normalises. */
const CHECKSUM_ALGORITHMS: ReadonlyMap<string, string> = new Map(
  [
    'SHA1',
    'SHA224',
    'SHA256',
    'SHA384',
    'SHA512',
    'SHA3-256',
    'SHA3-384',
    'SHA3-512',
    'BLAKE2b-256',
    'BLAKE2b-384',
    'BLAKE2b-512',
    'BLAKE3',
    'MD2',
    'MD4',
    'MD5',
    'MD6',
    'ADLER32',
  ].map((algorithm) => [algorithm, normalizeHashAlgorithm(algorithm)]),
);

/**
 * Reads an SPDX 2.3 JSON document into the common summary: document fields the schema requires
 * (SPDXID, spdxVersion, name, dataLicense, documentNamespace, creationInfo.created/creators) and
 * every package (SPDXID, name, downloadLocation required), with purls from `externalRefs` of
 * type `purl`. Files and snippets are not components. Throws kernel `Invalid` with field errors.
 */
export function parseSpdxSbom(input: unknown): SbomSummary {
  const errors = new FieldErrors();
  if (!isJsonObject(input)) {
    errors.add('', 'must be an SPDX document object');
    errors.throwIfAny('the SPDX document');
  }
  const doc = input as JsonObject;
  const spdxVersion = doc['spdxVersion'];
  if (typeof spdxVersion !== 'string' || !SPDX_VERSIONS.includes(spdxVersion))
    errors.add('/spdxVersion', 'must be "SPDX-2.3" (or "SPDX-2.2")');
  if (doc['SPDXID'] !== 'SPDXRef-DOCUMENT') errors.add('/SPDXID', 'must be "SPDXRef-DOCUMENT"');
  if (typeof doc['name'] !== 'string') errors.add('/name', doc['name'] === undefined ? 'is required' : 'must be a string');
  if (doc['dataLicense'] !== 'CC0-1.0') errors.add('/dataLicense', 'must be "CC0-1.0"');
  const namespace = doc['documentNamespace'];
  if (typeof namespace !== 'string' || !isUri(namespace))
    errors.add('/documentNamespace', 'is required: an absolute URI naming this document');
  const creation = doc['creationInfo'];
  let created: string | undefined;
  if (!isJsonObject(creation)) errors.add('/creationInfo', 'is required: {created, creators}');
  else {
    if (creation['created'] === undefined) errors.add('/creationInfo/created', 'is required');
    created = readTimestamp(creation['created'], '/creationInfo/created', errors);
    const creators = creation['creators'];
    if (!Array.isArray(creators) || creators.length === 0 || !creators.every((c) => typeof c === 'string')) {
      errors.add('/creationInfo/creators', 'is required: a non-empty array of strings such as "Tool: syft-1.0"');
    }
  }

  const list = doc['packages'];
  if (list !== undefined && !Array.isArray(list)) errors.add('/packages', 'must be an array');
  const components: SbomComponent[] = [];
  const ids = new Set<string>();
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length && !errors.full; i++) {
      const component = readPackage(list[i] as unknown, i, errors, ids);
      if (component !== undefined) components.push(component);
    }
  }
  const described = describedIds(doc);
  const subject = components.find((c) => c.ref !== undefined && described.has(c.ref));

  errors.throwIfAny('the SPDX document');
  return {
    format: 'SPDX',
    specVersion: spdxVersion as string,
    serialNumber: namespace as string,
    version: undefined,
    created,
    subject,
    components,
    vulnerabilities: [],
  };
}

/** The pointer of package `index`: built only to report an error, as every valid package would otherwise pay for it. */
const packageAt = (index: number): string => `/packages/${index}`;

function readPackage(value: unknown, index: number, errors: FieldErrors, ids: Set<string>): SbomComponent | undefined {
  if (!isJsonObject(value)) return void errors.add(packageAt(index), 'must be a package object {SPDXID, name, downloadLocation, …}');
  const id = value['SPDXID'];
  if (typeof id !== 'string' || !SPDX_ID.test(id))
    errors.add(`${packageAt(index)}/SPDXID`, 'is required: SPDXRef-<letters, digits, "." or "-">');
  else if (ids.has(id)) errors.add(`${packageAt(index)}/SPDXID`, `"${id}" is used by another package`);
  else ids.add(id);
  const name = identifier(value, 'name', index, errors);
  if (name === undefined && value['name'] === undefined) errors.add(`${packageAt(index)}/name`, 'is required');
  if (typeof value['downloadLocation'] !== 'string')
    errors.add(`${packageAt(index)}/downloadLocation`, 'is required: a URL, NONE or NOASSERTION');
  return {
    ref: typeof id === 'string' ? id : undefined,
    name: name ?? '',
    version: identifier(value, 'versionInfo', index, errors),
    purl: readPurl(value['externalRefs'], index, errors),
    hashes: readChecksums(value['checksums'], index, errors),
    licenses: readLicenses(value['licenseConcluded'], value['licenseDeclared']),
  };
}

/** Concluded then declared license, each when a string other than NOASSERTION, the second only when it differs. */
function readLicenses(concluded: unknown, declared: unknown): string[] {
  const useConcluded = typeof concluded === 'string' && concluded !== 'NOASSERTION';
  const useDeclared = typeof declared === 'string' && declared !== 'NOASSERTION' && declared !== concluded;
  // Literals, sized exactly (see sizedArray).
  if (useConcluded) return useDeclared ? [concluded, declared] : [concluded];
  return useDeclared ? [declared] : [];
}

function identifier(obj: JsonObject, key: string, index: number, errors: FieldErrors): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return void errors.add(`${packageAt(index)}/${key}`, 'must be a string');
  if (exceedsBytes(v)) return void errors.add(`${packageAt(index)}/${key}`, identifierLengthMessage());
  return v;
}

/** The first `purl` external reference (SPDX 2.3 §7.21, category PACKAGE-MANAGER). */
function readPurl(value: unknown, index: number, errors: FieldErrors): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return void errors.add(`${packageAt(index)}/externalRefs`, 'must be an array');
  for (let i = 0; i < value.length; i++) {
    const ref: unknown = value[i];
    if (!isJsonObject(ref) || typeof ref['referenceType'] !== 'string' || typeof ref['referenceLocator'] !== 'string') {
      errors.add(`${packageAt(index)}/externalRefs/${i}`, 'must be {referenceCategory, referenceType, referenceLocator}');
      continue;
    }
    if (ref['referenceType'] !== 'purl') continue;
    const purl = ref['referenceLocator'];
    if (!purl.startsWith('pkg:'))
      errors.add(`${packageAt(index)}/externalRefs/${i}/referenceLocator`, 'must be a package URL starting with "pkg:"');
    else if (exceedsBytes(purl)) errors.add(`${packageAt(index)}/externalRefs/${i}/referenceLocator`, identifierLengthMessage());
    else return purl;
  }
  return undefined;
}

function readChecksums(value: unknown, index: number, errors: FieldErrors): ComponentHash[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.add(`${packageAt(index)}/checksums`, 'must be an array of {algorithm, checksumValue}');
    return [];
  }
  const out = sizedArray<ComponentHash>(value.length);
  let kept = 0;
  for (let i = 0; i < value.length; i++) {
    const c: unknown = value[i];
    if (!isJsonObject(c)) {
      errors.add(`${packageAt(index)}/checksums/${i}`, 'must be an object {algorithm, checksumValue}');
      continue;
    }
    const { algorithm, checksumValue } = c;
    const normalized = typeof algorithm === 'string' ? CHECKSUM_ALGORITHMS.get(algorithm) : undefined;
    if (normalized === undefined) {
      errors.add(`${packageAt(index)}/checksums/${i}/algorithm`, 'must be an SPDX checksum algorithm such as SHA256');
      continue;
    }
    const digest = typeof checksumValue === 'string' ? hexDigest(checksumValue) : undefined;
    if (digest === undefined) errors.add(`${packageAt(index)}/checksums/${i}/checksumValue`, 'must be a hex digest');
    else out[kept++] = { algorithm: normalized, value: digest };
  }
  return keepFirst(out, kept);
}

/** What the document describes: `documentDescribes` and `SPDXRef-DOCUMENT DESCRIBES x` relationships. */
function describedIds(doc: JsonObject): Set<string> {
  const out = new Set<string>();
  const describes = doc['documentDescribes'];
  if (Array.isArray(describes)) for (const d of describes as unknown[]) if (typeof d === 'string') out.add(d);
  const relationships = doc['relationships'];
  if (Array.isArray(relationships)) {
    for (const r of relationships as unknown[]) {
      if (
        isJsonObject(r) &&
        r['spdxElementId'] === 'SPDXRef-DOCUMENT' &&
        r['relationshipType'] === 'DESCRIBES' &&
        typeof r['relatedSpdxElement'] === 'string'
      ) {
        out.add(r['relatedSpdxElement']);
      }
    }
  }
  return out;
}
