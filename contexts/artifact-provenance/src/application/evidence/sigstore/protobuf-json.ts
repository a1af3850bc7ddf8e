import { X509Certificate } from 'node:crypto';
import { appendPointer } from '#kernel';
import { decodeBase64 } from '../dsse/base64.js';
import { type FieldErrors, type JsonObject, member } from '../json-fields.js';

/**
 * Readers for the protobuf JSON encoding that Sigstore documents use (bundles, trusted roots).
 * The generated protobuf readers accept anything: `Buffer.from(…, 'base64')` skips characters it
 * does not know and an unknown enum throws a bare Error, so each field is checked here first,
 * with a JSON Pointer, and the library only ever reads input that passed.
 */

const BASE64_MESSAGE = 'must be base64 (standard or URL-safe alphabet)';

/** protobuf `bytes`: base64 text; "" is refused (Sigstore has no meaningful empty bytes). */
export function readBytes(value: unknown, pointer: string, errors: FieldErrors): Buffer | undefined {
  if (typeof value !== 'string') return void errors.add(pointer, `must be a string (${BASE64_MESSAGE})`);
  const bytes = decodeBase64(value);
  if (bytes === undefined) return void errors.add(pointer, BASE64_MESSAGE);
  if (bytes.length === 0) return void errors.add(pointer, 'must not be empty');
  return bytes;
}

export function requiredBytes(obj: JsonObject, key: string, base: string, errors: FieldErrors): Buffer | undefined {
  const value = member(obj, key);
  if (value === undefined) return void errors.add(appendPointer(base, key), 'is required');
  return readBytes(value, appendPointer(base, key), errors);
}

const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

/** protobuf `int64`, non-negative: a decimal string, or a JSON number that is a safe integer. */
export function requiredInt64(obj: JsonObject, key: string, base: string, errors: FieldErrors): bigint | undefined {
  const pointer = appendPointer(base, key);
  const value = member(obj, key);
  if (value === undefined) return void errors.add(pointer, 'is required');
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && DECIMAL.test(value) && BigInt(value) <= 2n ** 63n - 1n) return BigInt(value);
  return void errors.add(pointer, 'must be a non-negative 64-bit integer (a decimal string, as protobuf JSON writes it)');
}

/** DER of an X.509 certificate, checked by OpenSSL: the Sigstore reader parses lazily and would fail later, somewhere else. */
export function requiredCertificate(obj: JsonObject, key: string, base: string, errors: FieldErrors): Buffer | undefined {
  const der = requiredBytes(obj, key, base, errors);
  if (der === undefined) return undefined;
  try {
    new X509Certificate(der);
    return der;
  } catch {
    return void errors.add(appendPointer(base, key), 'must be a DER-encoded X.509 certificate');
  }
}

/** An array of at most `max` items; undefined (with a field error) when it is not one. */
export function boundedArray(
  obj: JsonObject,
  key: string,
  base: string,
  errors: FieldErrors,
  { required, max }: { required: boolean; max: number },
): readonly unknown[] | undefined {
  const pointer = appendPointer(base, key);
  const value = member(obj, key);
  if (value === undefined) return required ? void errors.add(pointer, 'is required') : undefined;
  if (!Array.isArray(value)) return void errors.add(pointer, 'must be an array');
  if (value.length > max) return void errors.add(pointer, `must hold at most ${max} items`);
  return value as readonly unknown[];
}

/**
 * Which one of a protobuf `oneof`'s members is set (protobuf JSON writes only that one). Reports
 * none or several at `base`, naming the alternatives.
 */
export function oneOf<K extends string>(obj: JsonObject, keys: readonly K[], base: string, errors: FieldErrors): K | undefined {
  const present = keys.filter((k) => member(obj, k) !== undefined);
  const names = keys.join(', ');
  if (present.length === 1) return present[0];
  errors.add(base, present.length === 0 ? `must hold one of ${names}` : `must hold only one of ${names}, not ${present.join(' and ')}`);
  return undefined;
}
