import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import { createApp, loadConfig } from '#platform';
import { createScratchDatabase } from '#testing';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';

/** Each user of the shared database names its connections, so an operator can tell them apart in pg_stat_activity. */
describe('connection names on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestExpressApplication;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    app = await createApp(standaloneApp, loadConfig({ DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('names the pool after the app and the sealer lock after the sealer', async () => {
    const client = new pg.Client({ connectionString: scratch.url, application_name: 'connection-names-test' });
    await client.connect();
    try {
      const deadline = Date.now() + 10_000;
      let names: string[] = [];
      while (Date.now() < deadline) {
        const rows = await client.query<{ application_name: string }>(
          'SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database()',
        );
        names = rows.rows.map((r) => r.application_name);
        if (names.includes('audit-log-sealer') && names.includes('compliance-ledger')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(names).toEqual(expect.arrayContaining(['compliance-ledger', 'audit-log-sealer']));
      expect(names).not.toContain('');
    } finally {
      await client.end();
    }
  });
});
