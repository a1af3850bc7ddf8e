/**
 * CycloneDX (`SHA-256`, `SHA3-256`, `BLAKE2b-256`) and SPDX (`SHA256`, `SHA3-256`, `BLAKE2b-256`)
 * spell hash algorithms differently; both become the in-toto names (`sha256`, `sha3_256`,
 * `blake2b_256`), so a component hash compares with an artifact digest directly.
 */
export function normalizeHashAlgorithm(name: string): string {
  return name
    .toLowerCase()
    .replace(/^sha-(?=\d)/, 'sha')
    .replace(/-/g, '_');
}

const HEX = /^[0-9a-fA-F]+$/;
const LOWER_HEX = /^[0-9a-f]+$/;

/**
 * The digest in lower-case hex, or undefined when it is not hex. Digests are nearly always
 * lower-case already: one test of that, and a second test and a copy only for the others.
 */
export function hexDigest(value: string): string | undefined {
  if (LOWER_HEX.test(value)) return value;
  return HEX.test(value) ? value.toLowerCase() : undefined;
}

/** A hex digest of a length the CycloneDX schema allows (MD5 to SHA-512 sizes), lower-cased; the length test first, as it is cheaper. */
export const schemaHashDigest = (content: string): string | undefined =>
  content.length === 64 || content.length === 40 || content.length === 128 || content.length === 32 || content.length === 96
    ? hexDigest(content)
    : undefined;
