import { ConfigError, readAppSettings } from '#platform';
import { standaloneApp } from './standalone.app.js';

describe('standalone app settings', () => {
  it('reads the platform and every context in one pass', () => {
    const { config, contexts } = readAppSettings(standaloneApp, {
      PORT: '4000',
      INGEST_RATE_LIMIT: '5',
      AUDIT_LOG_ORIGIN: 'ledger.example.com/audit',
      POLICY_ENGINE: 'cedar',
    });
    expect(config.port).toBe(4000);
    expect([...contexts.keys()].sort()).toEqual(['access-control', 'audit', 'telemetry']);
    expect(contexts.get('telemetry')).toMatchObject({ ingestRateLimit: 5 });
    expect(contexts.get('audit')).toMatchObject({ origin: 'ledger.example.com/audit' });
    expect(contexts.get('access-control')).toMatchObject({ policyEngine: 'cedar', bootstrapAdminToken: null });
  });

  it('reports every problem of the platform and of each context at once', () => {
    let error: unknown;
    try {
      readAppSettings(standaloneApp, {
        PORT: 'abc',
        BOOTSTRAP_ADMIN_TOKEN: 'short',
        INGEST_RATE_LIMIT: '-1',
        AUDIT_LOG_ORIGIN: 'my log',
        POLICY_ENGINE: 'rego',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const expected of [
      /PORT must be an integer/,
      /BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters/,
      /INGEST_RATE_LIMIT must be an integer/,
      /AUDIT_LOG_ORIGIN must be non-empty/,
      /POLICY_ENGINE must be cedar or opa/,
    ]) {
      expect(problems).toMatch(expected);
    }
  });
});
