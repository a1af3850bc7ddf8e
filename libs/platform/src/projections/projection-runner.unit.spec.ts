import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#kernel';
import { waitUntil, newEvent } from '../../../event-store/src/event-store.contract.js';
import { SqlEventStore, PgliteDatabase } from '#event-store/adapters';
import type { SqlExecutor } from '#event-store';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts events per type; fails on demand to prove the checkpoint and the effect commit together. */
class TypeCounts implements Projection {
  readonly name: string = 'type-counts';
  readonly schema = 'CREATE TABLE IF NOT EXISTS type_counts (type text PRIMARY KEY, n integer NOT NULL)';
  readonly tables = ['type_counts'];
  failOn: string | null = null;
  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    await tx.query('INSERT INTO type_counts VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET n = type_counts.n + 1', [event.type]);
    if (event.type === this.failOn) throw new Error('projection failure');
  }
}

/** Remembers what it was given, and counts only the types it declares. */
class OnlyAs extends TypeCounts {
  override readonly name = 'only-as';
  readonly eventTypes = ['A'];
  readonly seen: RecordedEvent[] = [];
  override async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    this.seen.push(event);
    await super.apply(tx, event);
  }
}

describe('ProjectionRunner (embedded PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  const counts = async () =>
    Object.fromEntries((await db.query<{ type: string; n: number }>('SELECT type, n FROM type_counts ORDER BY type')).map((r) => [r.type, r.n]));

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

  it('rolls back a failed batch with its checkpoint and retries it', async () => {
    const projection = new TypeCounts();
    projection.failOn = 'Boom';
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, db, [projection], (_, e) => errors.push(e));
    await runner.start();
    const appended = await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('Boom')], 'no_stream');
    await waitUntil(() => errors.length > 0);
    expect(await counts()).toEqual({});
    projection.failOn = null;
    expect(await runner.waitFor(appended.lastCursor, 5000)).toBe(true);
    expect(await counts()).toEqual({ A: 1, Boom: 1 });
    await runner.stop();
  });

  it('rebuilds from zero to the same numbers', async () => {
    const runner = new ProjectionRunner(store, db, [new TypeCounts()]);
    await runner.start();
    const last = await store.append(`a-${randomUUID()}`, [newEvent('A'), newEvent('B'), newEvent('B')], 'no_stream');
    await runner.waitFor(last.lastCursor);
    const before = await counts();
    await db.query("UPDATE type_counts SET n = 99 WHERE type = 'A'");
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
    expect(await counts()).toEqual({ A: 1 });
    await runner.stop();

    // A restart resumes from the last applied batch: nothing is applied twice.
    const again = new OnlyAs();
    const restarted = new ProjectionRunner(store, db, [again]);
    await restarted.start();
    const a = await store.append(`a-${randomUUID()}`, [newEvent('A', { n: 4 })], 'no_stream');
    expect(await restarted.waitFor(a.lastCursor)).toBe(true);
    expect(again.seen.map((e) => e.data)).toEqual([{ n: 4 }]);
    expect(await counts()).toEqual({ A: 2 });
    await restarted.stop();
  });
});
