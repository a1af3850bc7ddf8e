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

/** A hex digest of a length the CycloneDX schema allows (MD5 to SHA-512 sizes); the length test first, as it is cheaper. */
export const isSchemaHashContent = (content: string): boolean =>
  (content.length === 64 || content.length === 40 || content.length === 128 || content.length === 32 || content.length === 96) &&
  HEX.test(content);
