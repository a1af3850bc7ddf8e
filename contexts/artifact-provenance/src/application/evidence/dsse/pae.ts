/**
 * DSSE v1 Pre-Authentication Encoding, the bytes that are signed:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the byte length in ASCII
 * decimal without leading zeros and `type` is the payload type in UTF-8. Signing the lengths and
 * the type with the body is what stops a signature on one payload type being replayed as another.
 */
export function preAuthenticationEncoding(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} `, 'ascii');
  const middle = Buffer.from(` ${body.length} `, 'ascii');
  return Buffer.concat([head, type, middle, body]);
}
