import type { KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../../libs/platform/src/config/settings-reader.js';
import { generateSigningKeyPair, importSigningKey } from '#transparency-log';

/** Where an unconfigured standalone app keeps the key it generated, inside DATA_DIR. */
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface ResolvedSigningKey {
  readonly privateKey: KeyObject;
  /** `configured`: AUDIT_SIGNING_KEY; `file`: read from DATA_DIR; `generated`: created there just now. */
  readonly source: 'configured' | 'file' | 'generated';
  readonly file?: string;
}

/**
 * The checkpoint signing key: `AUDIT_SIGNING_KEY` when set. Otherwise, with `missing: 'generate'`
 * (the standalone app), a key kept in DATA_DIR/audit-signing-key.pem (PKCS#8 PEM, mode 0600),
 * generated on first start; with `missing: 'refuse'` (the production Audit app, which runs the
 * sealer) startup fails: a production log's key must be managed like any other secret, not
 * appear silently on one machine's disk.
 */
export function resolveAuditSigningKey(
  config: { readonly dataDir: string; readonly signingKey: string | null },
  missing: 'generate' | 'refuse',
): ResolvedSigningKey {
  if (config.signingKey !== null) return { privateKey: importSigningKey(config.signingKey), source: 'configured' };
  if (missing === 'refuse') {
    throw new ConfigError([
      'AUDIT_SIGNING_KEY is required: this app signs the audit log checkpoints (create one with `npx compliance-ledger keygen`)',
    ]);
  }
  const file = join(config.dataDir, SIGNING_KEY_FILE);
  try {
    const pem = readFileSync(file, 'utf8');
    // Tighten a key file that was copied in with loose permissions.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { privateKey: importSigningKey(pem), source: 'file', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError([`cannot read the audit signing key ${file}: ${(error as Error).message}`]);
    }
  }
  const { privateKey } = generateSigningKeyPair();
  mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx': never overwrite a key another process wrote meanwhile.
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { privateKey: importSigningKey(readFileSync(file, 'utf8')), source: 'file', file };
    throw new ConfigError([`cannot write the audit signing key ${file}: ${(error as Error).message}`]);
  }
  return { privateKey, source: 'generated', file };
}
