import type { NewEvent } from '#kernel';
import { START, WrongExpectedVersion } from '#kernel';
import { PgliteDatabase } from '../sql/pglite-database.js';
import { SqlEventStore } from './sql-event-store.js';

const event = (id: string, n = 0): NewEvent => ({
  eventId: id,
  type: 'Happened',
  data: { n },
  metadata: { actor: 'test', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
});

describe('SqlEventStore.appendMany (embedded PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  beforeAll(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
  });
  afterAll(async () => db.close());

  it('appends to several streams at their expected versions, answering in the order given', async () => {
    await store.append('m-b', [event('b1')], 'no_stream');
    const results = await store.appendMany([
      { streamId: 'm-c', events: [event('c1', 1), event('c2', 2)], expectedVersion: 'no_stream' },
      { streamId: 'm-b', events: [event('b2')], expectedVersion: 1 },
      { streamId: 'm-a', events: [event('a1')], expectedVersion: 'any' },
    ]);
    expect(results.map((r) => [r.events.map((e) => [e.streamId, e.streamVersion, e.eventId]), r.nextVersion])).toEqual([
      [[['m-c', 1, 'c1'], ['m-c', 2, 'c2']], 2],
      [[['m-b', 2, 'b2']], 2],
      [[['m-a', 1, 'a1']], 1],
    ]);
    expect(results[0]!.events[1]!.data).toEqual({ n: 2 });
    const all = await store.readAll(START, { limit: 100 });
    const committed = all.filter((e) => e.streamId.startsWith('m-')).map((e) => e.eventId);
    expect(new Set(committed)).toEqual(new Set(['b1', 'c1', 'c2', 'b2', 'a1']));
    // One commit: every event of the call shares the transaction part of its cursor.
    expect(new Set(results.flatMap((r) => r.events.map((e) => e.cursor.split(':')[0]))).size).toBe(1);
  });

  it('appends nothing when one stream is not at its expected version, naming that stream', async () => {
    const attempt = store.appendMany([
      { streamId: 'n-1', events: [event('n1')], expectedVersion: 'no_stream' },
      { streamId: 'm-a', events: [event('a2')], expectedVersion: 'no_stream' },
      { streamId: 'n-2', events: [event('n2')], expectedVersion: 'no_stream' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(attempt).rejects.toMatchObject({ streamId: 'm-a', actual: 1 });
    expect(await store.readStream('n-1')).toEqual([]);
    expect(await store.readStream('n-2')).toEqual([]);
  });

  it('refuses the same stream twice in one call', async () => {
    await expect(
      store.appendMany([
        { streamId: 'd-1', events: [event('d1')], expectedVersion: 'any' },
        { streamId: 'd-1', events: [event('d2')], expectedVersion: 'any' },
      ]),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
