import { createHash } from 'node:crypto';
import type { Role } from '../domain/roles.js';

export interface GrantKey {
  readonly principalId: string;
  readonly role: Role;
  readonly project: string;
  readonly expiresAt: string | null;
}

/**
 * The id of a role grant, derived from what it grants (principal, role, project, expiry) and its
 * generation (how many such grants were revoked before it), so that the same grant asked for
 * twice, or fifty times at once, lands on one stream: optimistic concurrency lets one append and
 * the others find it. Shaped as a UUID (version 8, RFC 9562) from SHA-256.
 */
export function roleGrantIdFor(key: GrantKey, generation: number): string {
  const h = createHash('sha256')
    .update(JSON.stringify(['role-grant', key.principalId, key.role, key.project, key.expiresAt, generation]))
    .digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
