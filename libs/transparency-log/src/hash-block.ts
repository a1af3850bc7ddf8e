import { hash } from 'node:crypto';

/** SHA-256 output size in bytes. */
export const HASH_SIZE = 32;

/*
 * Why this module exists: at hundreds of thousands of hashes per second, node:crypto's per-call
 * overhead dominates SHA-256 itself.
 * `hash(alg, data, 'buffer')` allocates a Buffer per digest and costs about 3x a string-returning
 * call here, so digests are requested as 'utf16le' strings (16 code units = 32 bytes) and written
 * straight into preallocated storage as 16-bit words. That needs a little-endian host and an
 * encoding @types/node does not list (Node accepts any Buffer encoding), so it is self-tested at
 * load; otherwise the byte-wise 'binary' (latin1) form is used.
 */
const digestText = hash as (algorithm: 'sha256', data: Uint8Array | string, outputEncoding: 'utf16le' | 'binary') => string;

const SHA256_OF_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

function utf16DigestWorks(): boolean {
  try {
    const words = new Uint16Array(16);
    const digest = digestText('sha256', 'abc', 'utf16le');
    for (let i = 0; i < 16; i++) words[i] = digest.charCodeAt(i);
    return Buffer.from(words.buffer).toString('hex') === SHA256_OF_ABC;
  } catch {
    return false;
  }
}

const USE_UTF16 = utf16DigestWorks();

/** A fixed number of 32-byte hash slots in one ArrayBuffer, with word views for cheap copies. */
export class HashBlock {
  readonly bytes: Uint8Array;
  readonly words16: Uint16Array;
  readonly words32: Uint32Array;

  constructor(readonly capacity: number) {
    const buffer = new ArrayBuffer(capacity * HASH_SIZE);
    this.bytes = new Uint8Array(buffer);
    this.words16 = new Uint16Array(buffer);
    this.words32 = new Uint32Array(buffer);
  }

  /** A fresh copy of the hash in `slot`. */
  get(slot: number): Uint8Array {
    const start = slot * HASH_SIZE;
    return this.bytes.slice(start, start + HASH_SIZE);
  }

  set(slot: number, value: Uint8Array): void {
    if (value.length !== HASH_SIZE) throw new RangeError(`a hash must be ${HASH_SIZE} bytes`);
    this.bytes.set(value, slot * HASH_SIZE);
  }

  equals(slot: number, value: Uint8Array): boolean {
    if (value.length !== HASH_SIZE) return false;
    const bytes = this.bytes;
    const start = slot * HASH_SIZE;
    for (let i = 0; i < HASH_SIZE; i++) if (bytes[start + i] !== value[i]) return false;
    return true;
  }

  /** Stores SHA-256(input) in `slot`; a string input is hashed as its UTF-8 bytes. */
  digest(slot: number, input: Uint8Array | string): void {
    if (USE_UTF16) {
      const digest = digestText('sha256', input, 'utf16le');
      const words = this.words16;
      const start = slot * 16;
      for (let i = 0; i < 16; i++) words[start + i] = digest.charCodeAt(i);
    } else {
      const digest = digestText('sha256', input, 'binary');
      const bytes = this.bytes;
      const start = slot * HASH_SIZE;
      for (let i = 0; i < HASH_SIZE; i++) bytes[start + i] = digest.charCodeAt(i);
    }
  }
}

const MAX_SCRATCH = 64 * 1024;

/** Reusable input buffers for RFC 6962 leaf and node hashing (single-threaded, so sharing is safe). */
class Rfc6962Hasher {
  // Node input 0x01 || left || right sits at byte 3 so both children start 4-byte aligned.
  private readonly nodeWords = new Uint32Array(17);
  private readonly nodeBytes = new Uint8Array(this.nodeWords.buffer);
  private readonly nodeInput = this.nodeBytes.subarray(3);
  private leafBuffer = new Uint8Array(1024);
  // Views over leafBuffer by input length, so hashing a leaf allocates nothing in the common case.
  private leafViews: (Uint8Array | undefined)[] = [];

  constructor() {
    this.nodeBytes[3] = 0x01;
  }

  /** Stores SHA-256(0x00 || data) in `target[slot]`; a string is taken as UTF-8 bytes. */
  leaf(data: Uint8Array | string, target: HashBlock, slot: number): void {
    if (typeof data === 'string') {
      target.digest(slot, '\u0000' + data);
      return;
    }
    const length = data.length + 1;
    if (length > MAX_SCRATCH) {
      const input = new Uint8Array(length);
      input.set(data, 1);
      target.digest(slot, input);
      return;
    }
    if (length > this.leafBuffer.length) {
      this.leafBuffer = new Uint8Array(Math.max(length, this.leafBuffer.length * 2));
      this.leafViews = [];
    }
    let view = this.leafViews[length];
    if (view === undefined) {
      view = this.leafBuffer.subarray(0, length);
      this.leafViews[length] = view;
    }
    view[0] = 0x00;
    view.set(data, 1);
    target.digest(slot, view);
  }

  /** Stores SHA-256(0x01 || source[left] || source[left + 1]) in `target[slot]`. */
  adjacentPair(source: HashBlock, left: number, target: HashBlock, slot: number): void {
    const from = source.words32;
    const to = this.nodeWords;
    const start = left * 8;
    for (let i = 0; i < 16; i++) to[1 + i] = from[start + i]!;
    target.digest(slot, this.nodeInput);
  }

  /** Stores SHA-256(0x01 || left || right) in `target[slot]`. */
  pair(left: Uint8Array, right: Uint8Array, target: HashBlock, slot: number): void {
    if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
      throw new RangeError(`a hash must be ${HASH_SIZE} bytes`);
    }
    this.nodeBytes.set(left, 4);
    this.nodeBytes.set(right, 4 + HASH_SIZE);
    target.digest(slot, this.nodeInput);
  }
}

export const rfc6962 = new Rfc6962Hasher();
