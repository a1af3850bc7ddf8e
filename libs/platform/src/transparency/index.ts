export { CompactRange } from './compact-range.js';
export { type LeafEvent, canonicalLeaf, canonicalLeafJson, leafHashOfEvent } from './canonical-leaf.js';
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
export {
  type LogProblem,
  type LogVerificationResult,
  type LogVerifierOptions,
  type VerifyLogOptions,
  LogVerifier,
  verifyLog,
  verifyLogAsync,
} from './log-verifier.js';
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
