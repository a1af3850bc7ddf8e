/** Byte/text encodings shared by the transparency log; strict, because lenient decoders make signed data malleable. */

const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes hex (either case); throws on odd length or non-hex characters. */
export function fromHex(hex: string): Uint8Array {
  if (!HEX_PATTERN.test(hex)) throw new TypeError('invalid hex string');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes padded standard base64 and rejects anything else, including non-canonical
 * trailing bits (Buffer.from would silently accept and ignore them).
 */
export function fromBase64(text: string): Uint8Array {
  if (!BASE64_PATTERN.test(text)) throw new TypeError('invalid base64 string');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new TypeError('non-canonical base64 string');
  return new Uint8Array(bytes);
}

/** Byte equality (the values compared here are public, so no constant-time compare is needed). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
