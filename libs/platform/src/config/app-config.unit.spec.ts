import { ConfigError, DEFAULT_PGLITE_SHARED_BUFFERS_MB, loadConfig } from './app-config.js';
import { redactUrl } from '#event-store';

describe('loadConfig', () => {
  it('defaults to the embedded store on port 3000 under ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, store: 'embedded', databaseUrl: null, kafkaBrokers: null });
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  it('chooses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h:5432/db' }).store).toBe('postgres');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', EVENT_STORE: 'kurrentdb', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be an integer/);
    expect(problems).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems).toMatch(/KAFKA_BROKERS entry "nohost"/);
    expect(problems).toMatch(/needs KURRENTDB_URL/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
  });

  it('reads the Kafka topic settings, with defaults for topics created at startup', () => {
    expect(loadConfig({})).toMatchObject({ kafkaClientId: null, kafkaTopicPrefix: '', kafkaTopicPartitions: 3, kafkaReplicationFactor: 1 });
    const config = loadConfig({
      KAFKA_CLIENT_ID: 'ledger-ac',
      KAFKA_TOPIC_PREFIX: 'staging.',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_REPLICATION_FACTOR: '3',
    });
    expect(config).toMatchObject({
      kafkaClientId: 'ledger-ac',
      kafkaTopicPrefix: 'staging.',
      kafkaTopicPartitions: 12,
      kafkaReplicationFactor: 3,
    });
    expect(() => loadConfig({ KAFKA_TOPIC_PARTITIONS: '0', KAFKA_TOPIC_PREFIX: 'a b' })).toThrow(
      /KAFKA_TOPIC_PREFIX may hold only.*KAFKA_TOPIC_PARTITIONS must be an integer/,
    );
  });

  it('sizes the embedded database and the PostgreSQL pool, small by default', () => {
    expect(loadConfig({})).toMatchObject({ pglite: { sharedBuffersMb: DEFAULT_PGLITE_SHARED_BUFFERS_MB }, databasePoolMax: 10 });
    expect(loadConfig({ PGLITE_SHARED_BUFFERS_MB: '128', DATABASE_POOL_MAX: '25' })).toMatchObject({
      pglite: { sharedBuffersMb: 128 },
      databasePoolMax: 25,
    });
  });

  it('optimises V8 for size on the embedded store only, unless told', () => {
    expect(loadConfig({}).optimizeForSize).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h:5432/db' }).optimizeForSize).toBe(false);
    expect(loadConfig({ OPTIMIZE_FOR_SIZE: 'false' }).optimizeForSize).toBe(false);
    expect(() => loadConfig({ OPTIMIZE_FOR_SIZE: 'yes' })).toThrow(/OPTIMIZE_FOR_SIZE must be true or false/);
  });

  it('refuses memory and pool sizes that are not whole numbers in range, naming each', () => {
    for (const [name, value] of [
      ['PGLITE_SHARED_BUFFERS_MB', '0'],
      ['PGLITE_SHARED_BUFFERS_MB', '1.5'],
      ['PGLITE_SHARED_BUFFERS_MB', '16MB'],
      ['PGLITE_SHARED_BUFFERS_MB', '4096'],
      ['DATABASE_POOL_MAX', '0'],
      ['DATABASE_POOL_MAX', 'ten'],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name} must be an integer from \\d+ to \\d+ \\(got "${value}"\\)`));
    }
  });

  it('keeps only infrastructure settings: contexts read their own', () => {
    const config = loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'short', INGEST_RATE_LIMIT: 'x', AUDIT_LOG_ORIGIN: 'a b' });
    expect(Object.keys(config).sort()).toEqual([
      'bodyLimitBytes',
      'dataDir',
      'databasePoolMax',
      'databaseUrl',
      'env',
      'host',
      'kafkaBrokers',
      'kafkaClientId',
      'kafkaReplicationFactor',
      'kafkaTopicPartitions',
      'kafkaTopicPrefix',
      'kurrentdbUrl',
      'logLevel',
      'metricsPublic',
      'optimizeForSize',
      'pglite',
      'port',
      'store',
    ]);
  });

  it('never prints a password', () => {
    expect(redactUrl('postgres://ledger:secret@db:5432/x')).toBe('postgres://ledger:***@db:5432/x');
  });
});
