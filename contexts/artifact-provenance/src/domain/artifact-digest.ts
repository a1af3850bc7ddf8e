/**
 * Artifacts are known by content digest only (`sha256:<64 hex>` or `sha512:<128 hex>`), never by a
 * tag or name, which can be moved to other content. The canonical form is lower-case, so one
 * artifact has one stream id however a producer spelled it.
 */

export const DIGEST_ALGORITHMS = ['sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

export interface ArtifactDigest {
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex. */
  readonly hex: string;
}

const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };
const HEX = /^[0-9a-fA-F]+$/;

export const DIGEST_FORMAT_MESSAGE = 'must be a content digest "sha256:<64 hex digits>" or "sha512:<128 hex digits>", not a tag';

/** Why `value` is not an artifact digest, or undefined when it is. */
export function artifactDigestProblem(value: string): string | undefined {
  const colon = value.indexOf(':');
  if (colon === -1) return DIGEST_FORMAT_MESSAGE;
  const algorithm = value.slice(0, colon).toLowerCase();
  const hex = value.slice(colon + 1);
  if (!isDigestAlgorithm(algorithm)) return `uses "${value.slice(0, colon)}"; ${DIGEST_FORMAT_MESSAGE}`;
  if (hex.length !== HEX_LENGTH[algorithm] || !HEX.test(hex)) return `must have ${HEX_LENGTH[algorithm]} hex digits after "${algorithm}:"`;
  return undefined;
}

/** Parses `sha256:<hex>` / `sha512:<hex>` (any case); undefined for anything else, tags included. */
export function parseArtifactDigest(value: string): ArtifactDigest | undefined {
  if (artifactDigestProblem(value) !== undefined) return undefined;
  const colon = value.indexOf(':');
  return { algorithm: value.slice(0, colon).toLowerCase() as DigestAlgorithm, hex: value.slice(colon + 1).toLowerCase() };
}

/** The canonical spelling, e.g. `sha256:9f86…`. */
export const formatArtifactDigest = (digest: ArtifactDigest): string => `${digest.algorithm}:${digest.hex}`;

/** The canonical spelling of `value`, or undefined when it is not a digest. */
export function normalizeArtifactDigest(value: string): string | undefined {
  const digest = parseArtifactDigest(value);
  return digest === undefined ? undefined : formatArtifactDigest(digest);
}

export const isDigestAlgorithm = (value: string): value is DigestAlgorithm => value === 'sha256' || value === 'sha512';

/**
 * Whether an in-toto DigestSet (`{"sha256": "<hex>", "gitCommit": …}`) names this artifact. The
 * in-toto rule is that two sets match when any acceptable algorithm matches; here the only
 * acceptable one is the artifact digest's own, so a set without it does not match, and an
 * algorithm we do not accept (md5, sha1) never makes a match.
 */
export function digestSetNamesArtifact(digestSet: Readonly<Record<string, string>>, artifact: ArtifactDigest): boolean {
  const value = Object.prototype.hasOwnProperty.call(digestSet, artifact.algorithm) ? digestSet[artifact.algorithm] : undefined;
  return typeof value === 'string' && value.length === artifact.hex.length && value.toLowerCase() === artifact.hex;
}
