import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#kernel';
import { waitUntil, newEvent } from '../../../event-store/src/event-store.contract.js';
import { SqlEventStore, PgliteDatabase } from '#event-store/adapters';
import type { SqlExecutor } from '#event-store';
import type { Projection } from './projection.js';
import { readModelTables } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts events per type; fails on demand to prove the checkpoint and the effect commit together. */
class TypeCounts implements Projection {
  readonly tables;
  readonly schema;
  failOn: string | null = null;
  applied = 0;
  constructor(
    readonly version = 1,
    readonly name = 'type-counts',
  ) {
    this.tables = readModelTables(name, version, ['type_counts']);
    this.schema = `CREATE TABLE ${this.tables.type_counts} (type text PRIMARY KEY, n integer NOT NULL)`;
  }
  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    this.applied++;
    await tx.query(`INSERT INTO ${this.tables.type_counts} AS c VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET n = c.n + 1`, [event.type]);
    // A failure that is nobody's fault but the moment's: retried, never blamed on the event.
    if (event.type === this.failOn) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
  }
}

/** Remembers what it was given, and counts only the types it declares. */
class OnlyAs extends TypeCounts {
  readonly eventTypes = ['A'];
  constructor() {
    super(1, 'only-as');
  }
  readonly seen: RecordedEvent[] = [];
  override async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    this.seen.push(event);
    await super.apply(tx, event);
  }
}

describe('ProjectionRunner (embedded PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  /** The query of the read model, on the tables of the version in use (version 1 unless told). */
  const counts = async (of: TypeCounts = new TypeCounts()) =>
    Object.fromEntries(
      (await db.query<{ type: string; n: number }>(`SELECT type, n FROM ${of.tables.type_counts} ORDER BY type`)).map((r) => [r.type, r.n]),
    );
  const schemas = async () =>
    (await db.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%' ORDER BY nspname")).map(
      (r) => r.nspname,
    );

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
  });
  afterEach(async () => db.close());

  it('projects events and resumes from its checkpoint after a restart', async () => {
    await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('B'), newEvent('A')], 'no_stream');
    let runner = new ProjectionRunner(store, db, [new TypeCounts()]);
    await runner.start();
    const last = await store.append(`a-${randomUUID()}`, [newEvent('B')], 'no_stream');
    expect(await runner.waitFor(last.lastCursor)).toBe(true);
    expect(await counts()).toEqual({ A: 2, B: 2 });
    await runner.stop();

    await store.append(`a-${randomUUID()}`, [newEvent('C')], 'no_stream');
    runner = new ProjectionRunner(store, db, [new TypeCounts()]);
    await runner.start();
    await waitUntil(() => runner.status()[0]!.cursor !== null);
    const c = await store.append(`a-${randomUUID()}`, [newEvent('C')], 'no_stream');
    await runner.waitFor(c.lastCursor);
    expect(await counts()).toEqual({ A: 2, B: 2, C: 2 });
    await runner.stop();
  });

  it('rolls back a batch that failed for a passing reason (a serialization failure) with its checkpoint and retries it', async () => {
    const projection = new TypeCounts();
    projection.failOn = 'Boom';
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, db, [projection], { onError: (_, e) => errors.push(e) });
    await runner.start();
    const appended = await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('Boom')], 'no_stream');
    await waitUntil(() => errors.length > 0);
    expect(await counts()).toEqual({});
    projection.failOn = null;
    expect(await runner.waitFor(appended.lastCursor, 5000)).toBe(true);
    expect(await counts()).toEqual({ A: 1, Boom: 1 });
    expect((await runner.quarantined()).get('type-counts')).toEqual({ count: 0, first: null });
    await runner.stop();
  });

  it('rebuilds from zero to the same numbers', async () => {
    const runner = new ProjectionRunner(store, db, [new TypeCounts()]);
    await runner.start();
    const last = await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('B'), newEvent('B')], 'no_stream');
    await runner.waitFor(last.lastCursor);
    const before = await counts();
    await db.query(`UPDATE ${new TypeCounts().tables.type_counts} SET n = 99 WHERE type = 'A'`);
    await runner.rebuild('type-counts');
    expect(await counts()).toEqual(before);
    await runner.stop();
  });

  it('passes a projection only the event types it declares, and moves past the others', async () => {
    const projection = new OnlyAs();
    const runner = new ProjectionRunner(store, db, [projection]);
    await runner.start();
    await store.append(`a-${randomUUID()}`, [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })], 'no_stream');
    const onlyB = await store.append(`b-${randomUUID()}`, [newEvent('B', { n: 3 })], 'no_stream');
    expect(await runner.waitFor(onlyB.lastCursor)).toBe(true);
    expect(projection.seen.map((e) => [e.type, e.data])).toEqual([['A', { n: 1 }]]);
    expect(await counts(projection)).toEqual({ A: 1 });
    await runner.stop();

    // A restart resumes from the last applied batch: nothing is applied twice.
    const again = new OnlyAs();
    const restarted = new ProjectionRunner(store, db, [again]);
    await restarted.start();
    const a = await store.append(`a-${randomUUID()}`, [newEvent('A', { n: 4 })], 'no_stream');
    expect(await restarted.waitFor(a.lastCursor)).toBe(true);
    expect(again.seen.map((e) => e.data)).toEqual([{ n: 4 }]);
    expect(await counts(again)).toEqual({ A: 2 });
    await restarted.stop();
  });

  it('builds a new version into fresh tables from the whole log, and does not rebuild a version it has', async () => {
    await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('B'), newEvent('A')], 'no_stream');
    const v1 = new TypeCounts(1);
    let runner = new ProjectionRunner(store, db, [v1]);
    await runner.start();
    const b = await store.append(`b-${randomUUID()}`, [newEvent('B')], 'no_stream');
    expect(await runner.waitFor(b.lastCursor)).toBe(true);
    await runner.stop();
    const c = await store.append(`c-${randomUUID()}`, [newEvent('C')], 'no_stream');

    // The code now declares version 2: built from position zero into its own schema, v1 untouched.
    const v2 = new TypeCounts(2);
    runner = new ProjectionRunner(store, db, [v2]);
    await runner.start();
    expect(await runner.waitFor(c.lastCursor)).toBe(true);
    expect(v2.applied).toBe(5);
    expect(await counts(v2)).toEqual({ A: 2, B: 2, C: 1 });
    expect(await counts(v1)).toEqual({ A: 2, B: 2 });
    expect(runner.status()).toEqual([{ name: 'type-counts', version: 2, role: 'active', cursor: c.lastCursor, error: null }]);
    await runner.stop();

    // Equal to a build from scratch on another database holding the same log.
    const scratch = await PgliteDatabase.open();
    try {
      const copy = new SqlEventStore(scratch);
      await copy.migrate();
      for (const e of await store.readAll('0:0'))
        await copy.append(e.streamId, [{ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata }], 'any');
      const fresh = new TypeCounts(2);
      const other = new ProjectionRunner(copy, scratch, [fresh]);
      await other.start();
      await waitUntil(() => fresh.applied === 5);
      await other.stop();
      const rows = await scratch.query<{ type: string; n: number }>(`SELECT type, n FROM ${fresh.tables.type_counts} ORDER BY type`);
      expect(Object.fromEntries(rows.map((r) => [r.type, r.n]))).toEqual(await counts(v2));
    } finally {
      await scratch.close();
    }

    // A restart with the same version resumes from its checkpoint: nothing is applied again.
    const again = new TypeCounts(2);
    runner = new ProjectionRunner(store, db, [again]);
    await runner.start();
    const d = await store.append(`d-${randomUUID()}`, [newEvent('D')], 'no_stream');
    expect(await runner.waitFor(d.lastCursor)).toBe(true);
    expect(again.applied).toBe(1);
    expect(await counts(again)).toEqual({ A: 2, B: 2, C: 1, D: 1 });
    await runner.stop();

    // Version 3 caught up: version 1 is dropped, version 2 (the one before) is kept.
    expect(await schemas()).toEqual(['rm_type_counts_v1', 'rm_type_counts_v2']);
    const v3 = new TypeCounts(3);
    runner = new ProjectionRunner(store, db, [v3]);
    await runner.start();
    await runner.waitFor(d.lastCursor);
    for (let i = 0; i < 500 && (await schemas()).includes('rm_type_counts_v1'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await schemas()).toEqual(['rm_type_counts_v2', 'rm_type_counts_v3']);
    expect(await counts(v3)).toEqual(await counts(again));
    expect(
      (
        await db.query<{ version: number }>("SELECT version FROM read_model_versions WHERE projection = 'type-counts' ORDER BY version")
      ).map((r) => r.version),
    ).toEqual([2, 3]);
    await runner.stop();
  });

  it("runs one runner per projection version; a standby reads the active one's checkpoint and takes over when it stops", async () => {
    const first = new TypeCounts();
    const second = new TypeCounts();
    const a = new ProjectionRunner(store, db, [first], { standbyRetryMs: 20, standbyRefreshMs: 20 });
    const b = new ProjectionRunner(store, db, [second], { standbyRetryMs: 20, standbyRefreshMs: 20 });
    await a.start();
    await b.start();
    await waitUntil(() => a.status()[0]!.role === 'active' && b.status()[0]!.role === 'standby');
    const x = await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('B')], 'no_stream');
    expect(await b.waitFor(x.lastCursor)).toBe(true);
    expect(await counts()).toEqual({ A: 1, B: 1 });
    expect([first.applied, second.applied]).toEqual([2, 0]);

    await a.stop();
    await waitUntil(() => b.status()[0]!.role === 'active');
    const y = await store.append(`a-${randomUUID()}`, [newEvent('C')], 'no_stream');
    expect(await b.waitFor(y.lastCursor)).toBe(true);
    expect(await counts()).toEqual({ A: 1, B: 1, C: 1 });
    expect(second.applied).toBe(1);
    await b.stop();
  });
});
