import { spawnSync } from 'node:child_process';
import { testDatabaseUrl } from '#testing';

/**
 * A connection that dies while checked out for a transaction (the server restarted, a failover,
 * an operator's pg_terminate_backend) must fail that transaction, not the process: a child
 * process runs the case, so an unhandled 'error' event would show as its exit code.
 */
const CHILD = `
import { PostgresDatabase } from './libs/event-store/src/postgres-database.ts';
const db = new PostgresDatabase({ connectionString: process.env.URL, maxConnections: 2, applicationName: 'terminated-in-transaction' });
const killer = new PostgresDatabase({ connectionString: process.env.URL, maxConnections: 1 });
const failed = db.transaction(async (tx) => { await tx.query('SELECT pg_sleep(10)'); }).then(() => 'committed', (e) => 'failed: ' + e.message);
await new Promise((r) => setTimeout(r, 500));
await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'terminated-in-transaction'");
console.log(await failed);
await new Promise((r) => setTimeout(r, 300));
console.log('after:', (await db.query('SELECT 1 AS one'))[0].one);
await db.close();
await killer.close();
`;

describe('PostgresDatabase (real PostgreSQL)', () => {
  it('fails a transaction whose connection is terminated, stays up, and serves the next query on a fresh connection', () => {
    const child = spawnSync(
      process.execPath,
      ['--import', './test/integration/messaging-ts-register.mjs', '--input-type=module', '--eval', CHILD],
      { env: { ...process.env, URL: testDatabaseUrl() }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).not.toMatch(/Unhandled 'error' event|Emitted 'error' event/);
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^failed: .*terminat/im);
    expect(child.stdout).toMatch(/^after: 1$/m);
  }, 90_000);
});
