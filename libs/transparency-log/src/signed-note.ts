import { type KeyObject, createHash, sign, verify } from 'node:crypto';
import { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.js';
import { ED25519_PUBLIC_KEY_SIZE, exportPublicKeyRaw, importPublicKey } from './signing-key.js';

/*
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures:
 *
 *     <body, ending in "\n">
 *     <blank line>
 *     — <key name> <base64(4-byte key hash || 64-byte Ed25519 signature over the body bytes)>\n
 *
 * The dash is U+2014 (em dash). key hash = SHA-256(name || 0x0A || 0x01 || raw public key)[:4],
 * 0x01 being the Ed25519 signature type.
 */

export const ED25519_SIGNATURE_TYPE = 0x01;
export const KEY_HASH_SIZE = 4;
const ED25519_SIGNATURE_SIZE = 64;
const SIGNATURE_LINE_PREFIX = '\u2014 ';
/** Notes with more signature lines than this are rejected outright (as the Go reference does). */
const MAX_SIGNATURES = 100;
// Control characters other than newline, and lone surrogates (not representable in UTF-8).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface NoteSignature {
  readonly name: string;
  readonly keyHash: Uint8Array;
  readonly signature: Uint8Array;
}

export interface Note {
  /** The signed text, ending in a newline. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

/** Who may sign a note: a key name and a raw 32-byte Ed25519 public key. */
export interface NoteVerifierKey {
  readonly name: string;
  readonly keyHash: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Key names are non-empty and contain no whitespace and no '+' (the verifier-key separator). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !FORBIDDEN_TEXT.test(name);
}

/** First 4 bytes of SHA-256(name || 0x0A || 0x01 || publicKey). */
export function noteKeyHash(name: string, publicKey: Uint8Array): Uint8Array {
  checkKeyName(name);
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw new TypeError('an Ed25519 public key must be 32 bytes');
  const digest = createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE)).update(publicKey).digest();
  return new Uint8Array(digest.subarray(0, KEY_HASH_SIZE));
}

export function noteVerifierKey(name: string, publicKey: KeyObject | Uint8Array | string): NoteVerifierKey {
  const raw = exportPublicKeyRaw(importPublicKey(publicKey));
  return { name, keyHash: noteKeyHash(name, raw), publicKey: raw };
}

/** The shareable verifier-key string `<name>+<hex key hash>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const typed = new Uint8Array(1 + key.publicKey.length);
  typed[0] = ED25519_SIGNATURE_TYPE;
  typed.set(key.publicKey, 1);
  return `${key.name}+${toHex(key.keyHash)}+${toBase64(typed)}`;
}

/** Parses a verifier-key string; throws unless it is a consistent Ed25519 key. */
export function parseVerifierKey(text: string): NoteVerifierKey {
  const match = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  if (match === null) throw new TypeError('malformed verifier key');
  const [, name = '', hashHex = '', keyBase64 = ''] = match;
  const typed = fromBase64(keyBase64);
  if (typed.length !== 1 + ED25519_PUBLIC_KEY_SIZE || typed[0] !== ED25519_SIGNATURE_TYPE) {
    throw new TypeError('verifier key is not an Ed25519 key');
  }
  const publicKey = typed.subarray(1);
  const keyHash = noteKeyHash(name, publicKey);
  if (!bytesEqual(keyHash, fromHex(hashHex))) throw new TypeError('verifier key hash does not match the key');
  return { name, keyHash, publicKey };
}

/** Signs `body` as key `name`; returns the full note text and the bare 64-byte signature. */
export function signNote(body: string, name: string, privateKey: KeyObject): { note: string; signature: Uint8Array } {
  checkKeyName(name);
  checkBody(body);
  const signature = new Uint8Array(sign(null, Buffer.from(body, 'utf8'), privateKey));
  const keyHash = noteKeyHash(name, exportPublicKeyRaw(privateKey));
  return { note: `${body}\n${signatureLine(name, keyHash, signature)}`, signature };
}

function signatureLine(name: string, keyHash: Uint8Array, signature: Uint8Array): string {
  const payload = new Uint8Array(keyHash.length + signature.length);
  payload.set(keyHash);
  payload.set(signature, keyHash.length);
  return `${SIGNATURE_LINE_PREFIX}${name} ${toBase64(payload)}\n`;
}

/** Splits a note into body and signature lines; throws on any malformed part. Verifies nothing. */
export function parseNote(text: string): Note {
  if (FORBIDDEN_TEXT.test(text)) throw new SyntaxError('note contains control characters');
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) throw new SyntaxError('note has no signature block');
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new SyntaxError('note has too many signatures');
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_LINE_PREFIX)) throw new SyntaxError('malformed signature line');
    const fields = line.slice(SIGNATURE_LINE_PREFIX.length).split(' ');
    const [name = '', encoded = ''] = fields;
    if (fields.length !== 2 || !isValidKeyName(name)) throw new SyntaxError('malformed signature line');
    let payload: Uint8Array;
    try {
      payload = fromBase64(encoded);
    } catch {
      throw new SyntaxError('malformed signature line');
    }
    if (payload.length <= KEY_HASH_SIZE) throw new SyntaxError('malformed signature line');
    return { name, keyHash: payload.slice(0, KEY_HASH_SIZE), signature: payload.slice(KEY_HASH_SIZE) };
  });
  return { body, signatures };
}

/**
 * Returns the note's signature by `key` if one verifies over the body, else null. Lines of other
 * keys are ignored; a line that claims to be `key` but fails rejects the note (per the spec).
 */
export function verifyNote(note: Note, key: NoteVerifierKey): NoteSignature | null {
  const claimed = note.signatures.filter((s) => s.name === key.name && bytesEqual(s.keyHash, key.keyHash));
  if (claimed.length === 0) return null;
  const publicKey = importPublicKey(key.publicKey);
  const body = Buffer.from(note.body, 'utf8');
  for (const candidate of claimed) {
    if (candidate.signature.length !== ED25519_SIGNATURE_SIZE) return null;
    if (!verify(null, body, publicKey, candidate.signature)) return null;
  }
  return claimed[0]!;
}

function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) throw new TypeError(`invalid note key name ${JSON.stringify(name)}`);
}

function checkBody(body: string): void {
  if (body.length === 0 || !body.endsWith('\n')) throw new TypeError('note body must end with a newline');
  if (FORBIDDEN_TEXT.test(body)) throw new TypeError('note body contains control characters');
}
