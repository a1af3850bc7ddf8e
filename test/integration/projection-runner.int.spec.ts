import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RecordedEvent } from '#kernel';
import type { SqlExecutor } from '#event-store';
import { PostgresDatabase, SqlEventStore } from '#event-store/adapters';
import type { Projection } from '#platform';
import { ProjectionRunner, projectionLocks, readModelTables } from '#platform';
import { createScratchDatabase } from '#testing';

const T = readModelTables('event-counts', 1, ['counts']);

/** Counts events per type, and how many this process applied. */
class EventCounts implements Projection {
  readonly name = 'event-counts';
  readonly version = 1;
  readonly schema = `CREATE TABLE ${T.counts} (type text PRIMARY KEY, n integer NOT NULL)`;
  applied = 0;
  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    this.applied++;
    await tx.query(`INSERT INTO ${T.counts} AS c VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET n = c.n + 1`, [event.type]);
  }
}

const newEvent = (type: string) => ({
  eventId: randomUUID(),
  type,
  data: {},
  metadata: { actor: 'test', correlationId: 'c', occurredAt: new Date().toISOString() },
});

async function until(condition: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Two processes' worth of runners (each its own pool and lock connection) on one PostgreSQL database. */
describe('ProjectionRunner across replicas (real PostgreSQL)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const pools: PostgresDatabase[] = [];
  beforeAll(async () => {
    scratch = await createScratchDatabase('ledger_projections');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await scratch.drop();
  });

  function replica(standbyRetryMs: number) {
    const db = new PostgresDatabase({ connectionString: scratch.url, maxConnections: 4 });
    pools.push(db);
    const store = new SqlEventStore(db);
    const projection = new EventCounts();
    const runner = new ProjectionRunner(store, db, [projection], {
      lockFor: projectionLocks(db, scratch.url),
      standbyRetryMs,
      standbyRefreshMs: 50,
    });
    return { db, store, projection, runner };
  }

  it('runs one active runner; the standby reads its checkpoint for read-your-writes and takes over when its lock connection dies', async () => {
    // The first one waits longer after losing its lock, so the standby surely wins it.
    const a = replica(2000);
    await a.store.migrate();
    const b = replica(100);
    await a.runner.start();
    await until(() => a.runner.status()[0]!.role === 'active');
    await b.runner.start();
    await until(() => b.runner.status()[0]!.role === 'standby');

    // Written through the standby's process: its waitFor resolves once the active one applied it.
    const first = await b.store.append(`s-${randomUUID()}`, [newEvent('A'), newEvent('B')], 'no_stream');
    expect(await b.runner.waitFor(first.lastCursor, 10000)).toBe(true);
    expect(a.projection.applied).toBe(2);
    expect(b.projection.applied).toBe(0);
    const counts = async () =>
      Object.fromEntries(
        (await a.db.query<{ type: string; n: number }>(`SELECT type, n FROM ${T.counts} ORDER BY type`)).map((r) => [r.type, r.n]),
      );
    expect(await counts()).toEqual({ A: 1, B: 1 });

    // The active runner's lock connection dies: it stands by, and the standby takes over.
    const admin = new pg.Client({ connectionString: scratch.url });
    await admin.connect();
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'projection:event-counts:v1'",
    );
    await admin.end();
    expect(killed.rowCount).toBe(1);
    await until(() => b.runner.status()[0]!.role === 'active');
    // The old active one stands by as soon as it notices (its next batch could not move the checkpoint anyway).
    await until(() => a.runner.status()[0]!.role === 'standby');

    const second = await a.store.append(`s-${randomUUID()}`, [newEvent('C')], 'no_stream');
    expect(await a.runner.waitFor(second.lastCursor, 10000)).toBe(true);
    expect(await b.runner.waitFor(second.lastCursor, 10000)).toBe(true);
    expect(b.projection.applied).toBe(1);
    expect(a.projection.applied).toBe(2);
    expect(await counts()).toEqual({ A: 1, B: 1, C: 1 });

    // A rebuild asked of the standby: the active runner elsewhere replays the log into fresh tables.
    await a.runner.rebuild('event-counts');
    expect(await counts()).toEqual({ A: 1, B: 1, C: 1 });
    expect(b.projection.applied).toBe(4);

    await a.runner.stop();
    await b.runner.stop();
  });
});
