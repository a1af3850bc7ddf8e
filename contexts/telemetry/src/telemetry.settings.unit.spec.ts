import { ConfigError, loadSettings } from '#platform';
import { readTelemetrySettings } from './telemetry.settings.js';

const loadConfig = (env: NodeJS.ProcessEnv) => loadSettings(readTelemetrySettings, env);

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
};

describe('telemetry settings', () => {
  it('default to refusing unknown CDEvents, 1000 events/s per principal and production, prod', () => {
    expect(loadConfig({})).toMatchObject({
      cdeventsAcceptUnknown: false,
      ingestRateLimit: 1000,
      ingestRateBurst: 2000,
      productionEnvironments: ['production', 'prod'],
    });
  });

  it('read the environment, with production environments in lower case', () => {
    const config = loadConfig({
      CDEVENTS_ACCEPT_UNKNOWN: 'true',
      INGEST_RATE_LIMIT: '0',
      INGEST_RATE_BURST: '5',
      PRODUCTION_ENVIRONMENTS: 'Live, prod-eu',
    });
    expect(config).toMatchObject({
      cdeventsAcceptUnknown: true,
      ingestRateLimit: 0,
      ingestRateBurst: 5,
      productionEnvironments: ['live', 'prod-eu'],
    });
  });

  it('refuse bad values, each named', () => {
    const problems = problemsOf({
      CDEVENTS_ACCEPT_UNKNOWN: 'yes',
      INGEST_RATE_LIMIT: '-1',
      INGEST_RATE_BURST: '0',
      PRODUCTION_ENVIRONMENTS: 'prod,,',
    });
    expect(problems).toMatch(/CDEVENTS_ACCEPT_UNKNOWN must be true or false/);
    expect(problems).toMatch(/INGEST_RATE_LIMIT must be an integer/);
    expect(problems).toMatch(/INGEST_RATE_BURST must be an integer/);
    expect(problems).toMatch(/PRODUCTION_ENVIRONMENTS/);
  });
});
