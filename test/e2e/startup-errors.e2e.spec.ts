import { createApp, loadConfig } from '#platform';
import { StartupError } from '#event-store';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';

describe('startup fails fast with one clear line', () => {
  it('names an unreachable PostgreSQL without its password', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://ledger:s3cret@127.0.0.1:1/ledger', LOG_LEVEL: 'silent' });
    const error = await createApp(standaloneApp, config).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/ledger:\*\*\*@127\.0\.0\.1:1\/ledger: .*ECONNREFUSED/);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('names unreachable Kafka brokers', async () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-never-opened' });
    await expect(createApp(standaloneApp, config)).rejects.toThrow(/^cannot reach Kafka brokers 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('reports a bad environment in one line', () => {
    expect(() => loadConfig({ PORT: 'not-a-port' })).toThrow(
      /^invalid configuration: PORT must be an integer from 0 to 65535 \(got "not-a-port"\)$/,
    );
  });
});
