import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Hash of a CDEvent identity (`context.source` + `context.id`): stream ids stay short and
 * safe whatever the producer puts in a source URI, and no separator can make two identities meet.
 */
export function identityHash(source: string, id: string): string {
  return sha256(JSON.stringify([source, id]));
}

/**
 * Fingerprint of a CDEvent's content: SHA-256 of its RFC 8785 canonical JSON, so a retry that
 * re-serialises the same event (other key order, other spacing) is still the same content.
 */
export function contentFingerprint(cdevent: Record<string, unknown>): string {
  return sha256(canonicalize(cdevent) ?? '');
}
