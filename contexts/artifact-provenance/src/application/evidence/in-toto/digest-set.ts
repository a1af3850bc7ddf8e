import { appendPointer, exceedsBytes, identifierLengthMessage } from '#kernel';
import { FieldErrors, isJsonObject } from '../json-fields.js';

/** An in-toto DigestSet: algorithm → digest, e.g. `{"sha256": "…", "gitCommit": "…"}`. */
export type DigestSet = Readonly<Record<string, string>>;

/**
 * Hex lengths of the algorithms whose spelling the in-toto spec fixes (lower-case hex); these are
 * checked and lower-cased, so two spellings of one digest compare equal. Other algorithms
 * (`dirHash`, vendor identifiers) are kept as given: their encoding is theirs to define.
 */
const HEX_LENGTHS: Readonly<Record<string, readonly number[]>> = {
  sha1: [40],
  sha224: [56],
  sha256: [64],
  sha384: [96],
  sha512: [128],
  sha512_224: [56],
  sha512_256: [64],
  sha3_224: [56],
  sha3_256: [64],
  sha3_384: [96],
  sha3_512: [128],
  md5: [32],
  gitCommit: [40, 64],
  gitTree: [40, 64],
  gitBlob: [40, 64],
  gitTag: [40, 64],
};
const HEX = /^[0-9a-fA-F]+$/;

/** Reads a DigestSet at `pointer`; undefined (with field errors) when it is not one. */
export function parseDigestSet(
  value: unknown,
  pointer: string,
  errors: FieldErrors,
  { nonEmpty }: { nonEmpty: boolean },
): DigestSet | undefined {
  if (!isJsonObject(value)) return void errors.add(pointer, 'must be an object mapping algorithm to digest, e.g. {"sha256": "…"}');
  const out: Record<string, string> = {};
  let ok = true;
  for (const [algorithm, digest] of Object.entries(value)) {
    const at = appendPointer(pointer, algorithm);
    if (typeof digest !== 'string') {
      errors.add(at, 'must be a string');
      ok = false;
      continue;
    }
    const lengths = Object.prototype.hasOwnProperty.call(HEX_LENGTHS, algorithm) ? HEX_LENGTHS[algorithm] : undefined;
    if (lengths !== undefined && (!lengths.includes(digest.length) || !HEX.test(digest))) {
      errors.add(at, `must be ${lengths.join(' or ')} hex digits`);
      ok = false;
      continue;
    }
    if (exceedsBytes(digest) || exceedsBytes(algorithm)) {
      errors.add(at, identifierLengthMessage());
      ok = false;
      continue;
    }
    out[algorithm] = lengths !== undefined ? digest.toLowerCase() : digest;
  }
  if (nonEmpty && Object.keys(value).length === 0) {
    errors.add(pointer, 'must hold at least one digest');
    return undefined;
  }
  return ok ? out : undefined;
}
