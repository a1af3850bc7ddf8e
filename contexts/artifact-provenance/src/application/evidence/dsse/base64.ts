/**
 * Strict base64 for DSSE: standard (RFC 4648 §4) or URL-safe (§5) alphabet, padded or not, as
 * the DSSE protocol requires verifiers to accept. Buffer.from(…, 'base64') alone would skip any
 * character it does not know, so "decoding fails → reject" would never happen.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** The bytes of `text`, or undefined when it is not base64 in one alphabet. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!STANDARD.test(text) && !URL_SAFE.test(text)) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (padding > 0 && text.length % 4 !== 0) return undefined;
  // Unpadded, one character left over cannot hold a whole byte.
  if (padding === 0 && text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}
