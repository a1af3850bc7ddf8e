import { randomBytes, randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#kernel';
import { waitUntil, newEvent } from '../../../event-store/src/event-store.contract.js';
import { SqlEventStore, PgliteDatabase } from '#event-store/adapters';
import type { SqlExecutor } from '#event-store';
import type { Projection } from './projection.js';
import { readModelTables } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/**
 * Stores each event's `data.label` in an indexed text column and its `data.at` in a timestamptz
 * column, as read models do. What the store holds but the read model cannot (old data, from before
 * today's input limits) fails with real PostgreSQL errors: a label too large for its index, a
 * year-0 date, a missing label.
 */
class Labels implements Projection {
  readonly name = 'labels';
  readonly version = 1;
  readonly tables = readModelTables('labels', 1, ['labels']);
  readonly schema = `CREATE TABLE ${this.tables.labels} (event_id text PRIMARY KEY, label text NOT NULL, at timestamptz);
    CREATE INDEX ON ${this.tables.labels} (label)`;
  /** Set to make every apply fail the way a missing table does (a bug of every event, not of one). */
  brokenTable = false;
  /** Replaces what a label is stored as, e.g. a fix that shortens it. */
  clean: (label: string) => string = (label) => label;
  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    const { label, at } = event.data as { label: string | null; at?: string };
    const table = this.brokenTable ? `${this.tables.schema}.missing` : this.tables.labels;
    await tx.query(`INSERT INTO ${table} VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, [
      event.eventId,
      label === null ? null : this.clean(label),
      at ?? null,
    ]);
  }
}

const labelled = (label: string | null, at?: string) => ({ ...newEvent('Labelled'), data: { label, ...(at ? { at } : {}) } });
/** Over 10,000 characters that do not compress: no index row can hold them. */
const huge = () => randomBytes(8000).toString('base64');
const YEAR_ZERO = '0000-01-01T00:00:00Z';

describe('ProjectionRunner quarantine (embedded PGlite, real PostgreSQL errors)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let runners: ProjectionRunner[];
  const run = async (projection: Projection, options: ConstructorParameters<typeof ProjectionRunner>[3] = {}) => {
    const runner = new ProjectionRunner(store, db, [projection], options);
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const labels = async (p: Labels) =>
    (await db.query<{ label: string }>(`SELECT label FROM ${p.tables.labels} ORDER BY label`)).map((r) => r.label);

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    runners = [];
  });
  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    await db.close();
  });

  it('sets aside the events it cannot apply, applies every other one, and says which, where and why', async () => {
    const projection = new Labels();
    const quarantined: string[] = [];
    const runner = await run(projection, { onQuarantined: (_, e) => quarantined.push(e.eventId) });
    const stream = `l-${randomUUID()}`;
    const appended = await store.append(
      stream,
      [labelled('a'), labelled(huge()), labelled('b'), labelled('year zero', YEAR_ZERO), labelled('c'), labelled(null)],
      'no_stream',
    );
    expect(await runner.waitFor(appended.lastCursor, 20_000)).toBe(true);
    expect(await labels(projection)).toEqual(['a', 'b', 'c']);

    const events = await store.readStream(stream);
    expect(quarantined).toEqual([events[1]!.eventId, events[3]!.eventId, events[5]!.eventId]);
    expect((await runner.quarantined()).get('labels')).toEqual({ count: 3, first: events[1]!.cursor });
    const listed = await runner.quarantinedEvents('labels');
    expect(listed.map((q) => [q.eventId, q.streamId, q.streamVersion, q.type, q.cursor])).toEqual(
      [1, 3, 5].map((i) => [events[i]!.eventId, stream, i + 1, 'Labelled', events[i]!.cursor]),
    );
    expect(listed[0]!.error).toMatch(/index row/);
    expect(listed[1]!.error).toMatch(/date\/time field value out of range/);
    expect(listed[2]!.error).toMatch(/not-null constraint|null value/);
    expect(runner.status()[0]!.error).toBeNull();
  });

  it('comes back after a restart without meeting the quarantined events again', async () => {
    const projection = new Labels();
    const first = await run(projection);
    const appended = await store.append(`l-${randomUUID()}`, [labelled(huge()), labelled('a')], 'no_stream');
    expect(await first.waitFor(appended.lastCursor, 20_000)).toBe(true);
    await first.stop();

    const quarantined: string[] = [];
    const again = await run(projection, { onQuarantined: (_, e) => quarantined.push(e.eventId) });
    const next = await store.append(`l-${randomUUID()}`, [labelled('b')], 'no_stream');
    expect(await again.waitFor(next.lastCursor, 20_000)).toBe(true);
    expect(await labels(projection)).toEqual(['a', 'b']);
    expect(quarantined).toEqual([]);
    expect((await again.quarantined()).get('labels')?.count).toBe(1);
  });

  it('never blames an event for a failure of every event (a missing table): it retries and quarantines nothing', async () => {
    const projection = new Labels();
    projection.brokenTable = true;
    const errors: unknown[] = [];
    const runner = await run(projection, { onError: (_, e) => errors.push(e) });
    const appended = await store.append(`l-${randomUUID()}`, [labelled('a'), labelled('b')], 'no_stream');
    await waitUntil(() => errors.length >= 2, 20_000);
    expect(String(runner.status()[0]!.error)).toMatch(/does not exist/);
    expect((await runner.quarantined()).get('labels')?.count).toBe(0);

    projection.brokenTable = false; // the fix is deployed
    expect(await runner.waitFor(appended.lastCursor, 20_000)).toBe(true);
    expect(await labels(projection)).toEqual(['a', 'b']);
    expect(runner.status()[0]!.error).toBeNull();
  });

  it('replays the quarantined events after a fix, and keeps those that still fail with their newest error', async () => {
    const projection = new Labels();
    const runner = await run(projection);
    const appended = await store.append(`l-${randomUUID()}`, [labelled(huge()), labelled('a'), labelled('zero', YEAR_ZERO)], 'no_stream');
    expect(await runner.waitFor(appended.lastCursor, 20_000)).toBe(true);
    expect((await runner.quarantined()).get('labels')?.count).toBe(2);

    projection.clean = (label) => (label.length > 100 ? 'shortened' : label); // fixes the label, not the date
    const result = await runner.replayQuarantined('labels');
    expect(result.replayed).toBe(1);
    expect(result.remaining.map((q) => [q.streamVersion, q.attempts])).toEqual([[3, 2]]); // quarantined once, replayed once
    expect(result.remaining[0]!.error).toMatch(/out of range/);
    expect(await labels(projection)).toEqual(['a', 'shortened']);
    expect((await runner.replayQuarantined('labels')).replayed).toBe(0); // nothing is applied twice
    expect(await labels(projection)).toEqual(['a', 'shortened']);
  });

  it('a rebuild forgets the quarantine and meets the events afresh', async () => {
    const projection = new Labels();
    const runner = await run(projection);
    const appended = await store.append(`l-${randomUUID()}`, [labelled(huge()), labelled('a')], 'no_stream');
    expect(await runner.waitFor(appended.lastCursor, 20_000)).toBe(true);
    projection.clean = (label) => (label.length > 100 ? 'shortened' : label);
    await runner.rebuild('labels');
    expect(await labels(projection)).toEqual(['a', 'shortened']);
    expect((await runner.quarantined()).get('labels')?.count).toBe(0);
  });
});
