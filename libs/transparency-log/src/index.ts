/** RFC 6962/9162 Merkle hashing, trees, compact ranges and proofs; C2SP checkpoints and signed notes; Ed25519 keys. Pure: no Nest, no store. */
export { CompactRange } from './compact-range.js';
export {
  type CheckpointBody,
  type CheckpointInput,
  type CheckpointVerification,
  type SignedCheckpoint,
  type TrustedKey,
  checkpointBody,
  createCheckpoint,
  parseCheckpointBody,
  verifyCheckpoint,
} from './checkpoint.js';
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.js';
export { HASH_SIZE, emptyRoot, leafHashOf, nodeHashOf } from './merkle-hash.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-proof-verifier.js';
export { MerkleTree } from './merkle-tree.js';
export {
  type Note,
  type NoteSignature,
  type NoteVerifierKey,
  ED25519_SIGNATURE_TYPE,
  formatVerifierKey,
  noteKeyHash,
  noteVerifierKey,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './signed-note.js';
export {
  type SigningKeyPair,
  exportPublicKeyBase64,
  exportPublicKeyRaw,
  exportSigningKeySeed,
  generateSigningKeyPair,
  importPublicKey,
  importSigningKey,
  publicKeyOf,
  signingKeyFromSeed,
} from './signing-key.js';
export { HashBlock, rfc6962 } from './hash-block.js';
export { isValidKeyName } from './signed-note.js';
