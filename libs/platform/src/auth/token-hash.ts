import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens carry 256 random bits, so a plain SHA-256 is a safe at-rest form (no salt or slow
 * hash needed, unlike passwords) and lets the token be looked up by its hash.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return `clt_${randomBytes(32).toString('base64url')}`;
}
