import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadSettings } from '#platform';
import { readAuditSettings } from '../audit.settings.js';
import { DEFAULT_AUDIT_LOG_ORIGIN } from '../audit.settings.js';
import { SIGNING_KEY_FILE, resolveAuditSigningKey } from './audit-signing-key.js';
import { exportPublicKeyBase64, exportSigningKeySeed, generateSigningKeyPair } from '#transparency-log';

const config = (dataDir: string, signingKey: string | null = null) => ({ dataDir, signingKey });
const loadConfig = (env: NodeJS.ProcessEnv) => ({ auditLog: loadSettings(readAuditSettings, env) });

describe('audit log configuration', () => {
  it('defaults the origin and takes no key', () => {
    expect(loadConfig({}).auditLog).toEqual({ signingKey: null, origin: DEFAULT_AUDIT_LOG_ORIGIN });
  });

  it('accepts a base64 seed or a PKCS#8 PEM, and an origin without spaces', () => {
    const { privateKey } = generateSigningKeyPair();
    const seed = exportSigningKeySeed(privateKey);
    expect(loadConfig({ AUDIT_SIGNING_KEY: seed, AUDIT_LOG_ORIGIN: 'ledger.example.com/audit' }).auditLog).toEqual({
      signingKey: seed,
      origin: 'ledger.example.com/audit',
    });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(loadConfig({ AUDIT_SIGNING_KEY: pem }).auditLog.signingKey).toBe(pem.trim());
  });

  it('refuses a malformed key without echoing it, and an origin with spaces', () => {
    const bad = 'c2VjcmV0LW5vdC1hLWtleQ==';
    let error: unknown;
    try {
      loadConfig({ AUDIT_SIGNING_KEY: bad, AUDIT_LOG_ORIGIN: 'my log' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/AUDIT_SIGNING_KEY must be an Ed25519 PKCS#8 PEM or base64 of a 32-byte Ed25519 seed/);
    expect(message).toMatch(/AUDIT_LOG_ORIGIN must be non-empty, without spaces/);
    expect(message).not.toContain(bad);
  });
});

describe('resolveAuditSigningKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses AUDIT_SIGNING_KEY when set, writing nothing', () => {
    const { privateKey } = generateSigningKeyPair();
    const resolved = resolveAuditSigningKey(config(dir, exportSigningKeySeed(privateKey)), 'refuse');
    expect(resolved.source).toBe('configured');
    expect(exportPublicKeyBase64(resolved.privateKey)).toBe(exportPublicKeyBase64(privateKey));
    expect(() => statSync(join(dir, SIGNING_KEY_FILE))).toThrow();
  });

  it('generates a key under DATA_DIR on first start (mode 0600) and reuses it afterwards', () => {
    const first = resolveAuditSigningKey(config(join(dir, 'data')), 'generate');
    expect(first.source).toBe('generated');
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const second = resolveAuditSigningKey(config(join(dir, 'data')), 'generate');
    expect(second.source).toBe('file');
    expect(exportPublicKeyBase64(second.privateKey)).toBe(exportPublicKeyBase64(first.privateKey));
  });

  it('tightens a key file with loose permissions, and reports an unreadable one', () => {
    const file = join(dir, SIGNING_KEY_FILE);
    writeFileSync(file, generateSigningKeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o644 });
    resolveAuditSigningKey(config(dir), 'generate');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'not a key');
    expect(() => resolveAuditSigningKey(config(dir), 'generate')).toThrow(/cannot read the audit signing key/);
  });

  it('refuses to start without a configured key where the production app seals', () => {
    expect(() => resolveAuditSigningKey(config(dir), 'refuse')).toThrow(ConfigError);
    expect(() => resolveAuditSigningKey(config(dir), 'refuse')).toThrow(/AUDIT_SIGNING_KEY is required/);
  });
});
