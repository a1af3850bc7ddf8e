import type { KeyObject } from 'node:crypto';
import { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.js';
import { HASH_SIZE } from './merkle-hash.js';
import { type NoteVerifierKey, isValidKeyName, noteVerifierKey, parseNote, parseVerifierKey, signNote, verifyNote } from './signed-note.js';
import { exportPublicKeyBase64 } from './signing-key.js';

/*
 * Checkpoint note body (C2SP tlog-checkpoint, https://c2sp.org/tlog-checkpoint):
 *
 *     <origin>\n
 *     <tree size, decimal, no leading zeros>\n
 *     <base64 root hash>\n
 *     timestamp <RFC 3339 time>\n
 *
 * The fourth line is our one extension line. tlog-checkpoint leaves extension lines to the log
 * (clients that do not know them ignore them); putting the time there means the signature covers
 * it, so nobody can re-date a checkpoint. The note is signed with key name = origin.
 */

const TIMESTAMP_EXTENSION = 'timestamp ';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^(?:0|[1-9]\d*)$/;
const RAW_KEY_BASE64_LENGTH = 44;

export interface CheckpointInput {
  /** Log identity, e.g. `compliance-ledger.example.com/audit`; also the signing key name. */
  readonly origin: string;
  readonly treeSize: number;
  /** Root hash as bytes or hex. */
  readonly rootHash: Uint8Array | string;
  /** A Date (written as `toISOString()`) or an RFC 3339 string (written verbatim). */
  readonly timestamp: Date | string;
}

/** The GET /v1/audit/log/checkpoint body. */
export interface SignedCheckpoint {
  readonly treeSize: number;
  /** Lowercase hex. */
  readonly rootHash: string;
  readonly timestamp: string;
  /** Base64 of the 64-byte Ed25519 signature over the note body. */
  readonly signature: string;
  /** Base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  /** The full C2SP signed note. */
  readonly note: string;
}

export interface CheckpointBody {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly timestamp: string;
}

/** The exact note body a checkpoint signs. */
export function checkpointBody(input: CheckpointInput): string {
  const { origin, treeSize } = input;
  if (!isValidKeyName(origin)) throw new TypeError('origin must be non-empty with no whitespace or "+"');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new TypeError('treeSize must be a non-negative safe integer');
  const rootHash = typeof input.rootHash === 'string' ? fromHex(input.rootHash) : input.rootHash;
  if (rootHash.length !== HASH_SIZE) throw new TypeError(`rootHash must be ${HASH_SIZE} bytes`);
  const timestamp = formatTimestamp(input.timestamp);
  return `${origin}\n${treeSize}\n${toBase64(rootHash)}\n${TIMESTAMP_EXTENSION}${timestamp}\n`;
}

/** Parses a checkpoint body in the format above; throws if it is anything else. */
export function parseCheckpointBody(body: string): CheckpointBody {
  const lines = body.split('\n');
  const [origin = '', size = '', root = '', extension = '', ...rest] = lines;
  if (lines.length !== 5 || rest[0] !== '') throw new SyntaxError('checkpoint body must have exactly four lines');
  if (!isValidKeyName(origin)) throw new SyntaxError('invalid checkpoint origin');
  const treeSize = Number(size);
  if (!DECIMAL.test(size) || !Number.isSafeInteger(treeSize)) throw new SyntaxError('invalid checkpoint tree size');
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(root);
  } catch {
    throw new SyntaxError('invalid checkpoint root hash');
  }
  if (rootHash.length !== HASH_SIZE) throw new SyntaxError('invalid checkpoint root hash');
  const timestamp = extension.slice(TIMESTAMP_EXTENSION.length);
  if (!extension.startsWith(TIMESTAMP_EXTENSION) || !isRfc3339(timestamp)) {
    throw new SyntaxError('invalid checkpoint timestamp line');
  }
  return { origin, treeSize, rootHash, timestamp };
}

/** Signs a checkpoint with an Ed25519 private key (key name = origin). */
export function createCheckpoint(input: CheckpointInput, privateKey: KeyObject): SignedCheckpoint {
  const body = checkpointBody(input);
  const { note, signature } = signNote(body, input.origin, privateKey);
  const parsed = parseCheckpointBody(body);
  return {
    treeSize: parsed.treeSize,
    rootHash: toHex(parsed.rootHash),
    timestamp: parsed.timestamp,
    signature: toBase64(signature),
    publicKey: exportPublicKeyBase64(privateKey),
    note,
  };
}

/**
 * Whom to trust: a KeyObject, raw 32 bytes or their base64 (the signature line must then be
 * named after the checkpoint's origin), or a C2SP verifier-key string (its name is used).
 */
export type TrustedKey = KeyObject | Uint8Array | string;

export type CheckpointVerification = ({ readonly ok: true } & CheckpointBody) | { readonly ok: false; readonly reason: string };

/**
 * Checks that `checkpoint` is signed by `trustedKey` and that every field agrees with the signed
 * note body. Never throws on bad input: returns `{ok: false, reason}`.
 */
export function verifyCheckpoint(
  checkpoint: SignedCheckpoint,
  trustedKey: TrustedKey,
  options: { readonly origin?: string } = {},
): CheckpointVerification {
  const fail = (reason: string): CheckpointVerification => ({ ok: false, reason });
  try {
    const note = parseNote(checkpoint.note);
    const body = parseCheckpointBody(note.body);
    if (options.origin !== undefined && body.origin !== options.origin) return fail('unexpected origin');
    const verifier = resolveVerifier(trustedKey, body.origin);
    if (checkpoint.publicKey !== toBase64(verifier.publicKey)) return fail('signed by another key');
    const signature = verifyNote(note, verifier);
    if (signature === null) return fail('no valid signature by the trusted key');
    if (!bytesEqual(fromBase64(checkpoint.signature), signature.signature)) {
      return fail('signature field differs from the note');
    }
    const expected = checkpointBody({
      origin: body.origin,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      timestamp: checkpoint.timestamp,
    });
    if (expected !== note.body) return fail('checkpoint fields differ from the signed note');
    return { ok: true, ...body };
  } catch (error) {
    return fail(error instanceof Error ? error.message : 'malformed checkpoint');
  }
}

function resolveVerifier(trustedKey: TrustedKey, origin: string): NoteVerifierKey {
  // Base64 of a raw key is exactly 44 characters; a verifier-key string is always longer.
  if (typeof trustedKey === 'string' && trustedKey.length > RAW_KEY_BASE64_LENGTH) return parseVerifierKey(trustedKey);
  return noteVerifierKey(origin, trustedKey);
}

function formatTimestamp(timestamp: Date | string): string {
  if (timestamp instanceof Date) {
    if (Number.isNaN(timestamp.getTime())) throw new TypeError('timestamp is an invalid Date');
    return timestamp.toISOString();
  }
  if (!isRfc3339(timestamp)) throw new TypeError('timestamp must be an RFC 3339 date-time');
  return timestamp;
}

function isRfc3339(text: string): boolean {
  return RFC3339.test(text) && !Number.isNaN(Date.parse(text));
}
