import { randomUUID } from 'node:crypto';
import type { Cursor, EventStore, NewEvent, RecordedEvent } from '#kernel';
import { Conflict, START, WrongExpectedVersion } from '#kernel';
import { CatchUpSubscription } from './catch-up-subscription.js';

/** What each adapter's spec provides to run the shared contract. */
export interface EventStoreHarness {
  /** Opens the store on the same durable data each time (a "restart"). */
  open(): Promise<EventStore & { close(): Promise<void> }>;
  /**
   * Appends one event inside a transaction that stays open until `commit` is called, or undefined
   * when the adapter cannot have two writers in flight (then the case cannot arise).
   */
  holdOpenAppend?: (store: EventStore, streamId: string, event: NewEvent) => Promise<{ commit(): Promise<void> }>;
}

const meta = { actor: 'contract-test', correlationId: 'corr-1', occurredAt: '2026-01-01T00:00:00.000Z', project: 'p1' };

export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: meta };
}

const stream = (prefix = 'thing') => `${prefix}-${randomUUID()}`;

async function headCursor(store: EventStore): Promise<Cursor> {
  let cursor = START;
  for (;;) {
    const batch = await store.readAll(cursor, { limit: 5000 });
    if (batch.length === 0) return cursor;
    cursor = batch[batch.length - 1]!.cursor;
  }
}

async function readAllAfter(store: EventStore, from: Cursor): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let cursor = from;
  for (;;) {
    const batch = await store.readAll(cursor, { limit: 1000 });
    if (batch.length === 0) return out;
    out.push(...batch);
    cursor = batch[batch.length - 1]!.cursor;
  }
}

/** The one contract every event-store adapter must keep. */
export function eventStoreContract(harness: EventStoreHarness): void {
  let store: EventStore & { close(): Promise<void> };

  beforeAll(async () => {
    store = await harness.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('round-trips appended events with data, metadata and versions', async () => {
    const id = stream();
    const first = await store.append(id, [newEvent('Created', { name: 'a', n: 1, nested: { ok: true } })], 'no_stream');
    const second = await store.append(id, [newEvent('Renamed', { name: 'b' }), newEvent('Renamed', { name: 'c' })], 1);
    expect(first.nextVersion).toBe(1);
    expect(second.nextVersion).toBe(3);
    const events = await store.readStream(id);
    expect(events.map((e) => [e.type, e.streamVersion, e.data])).toEqual([
      ['Created', 1, { name: 'a', n: 1, nested: { ok: true } }],
      ['Renamed', 2, { name: 'b' }],
      ['Renamed', 3, { name: 'c' }],
    ]);
    expect(events[0]!.metadata).toMatchObject(meta);
    expect(events[0]!.streamId).toBe(id);
    expect(new Date(events[0]!.recordedAt).toISOString()).toBe(events[0]!.recordedAt);
    expect(events[1]!.position).toBeGreaterThan(events[0]!.position);
    expect(await store.readStream(id, 3)).toHaveLength(1);
    expect(await store.readStream(stream())).toEqual([]);
  });

  it('tells whether a stream exists and at which version, without reading it', async () => {
    const id = stream();
    expect(await store.streamVersion(id)).toBeNull();
    await store.append(id, [newEvent('Created')], 'no_stream');
    expect(await store.streamVersion(id)).toBe(1);
    await store.append(id, [newEvent('Renamed'), newEvent('Renamed')], 1);
    expect(await store.streamVersion(id)).toBe(3);
    await expect(store.append(id, [newEvent('Late')], 1)).rejects.toThrow(WrongExpectedVersion);
    expect(await store.streamVersion(id)).toBe(3);
    expect(await store.streamVersion(stream())).toBeNull();
  });

  it('reads every event in place when asked for the bodies of some types only', async () => {
    const from = await headCursor(store);
    const id = stream();
    await store.append(id, [newEvent('Wanted', { n: 1 }), newEvent('Other', { n: 2 }), newEvent('Wanted', { n: 3 })], 'no_stream');
    const whole = await readAllAfter(store, from);
    const hinted = await store.readAll(from, { limit: 1000, onlyDataOf: ['Wanted'] });
    expect(hinted.map((e) => [e.eventId, e.type, e.cursor])).toEqual(whole.map((e) => [e.eventId, e.type, e.cursor]));
    expect(hinted.filter((e) => e.type === 'Wanted')).toEqual(whole.filter((e) => e.type === 'Wanted'));
    // Others come whole or as stubs (an adapter may ignore the hint), never with someone else's body.
    const other = hinted.find((e) => e.type === 'Other')!;
    expect([{}, { n: 2 }]).toContainEqual(other.data);
  });

  it('refuses an append at the wrong expected version and stores nothing', async () => {
    const id = stream();
    await store.append(id, [newEvent()], 'no_stream');
    await expect(store.append(id, [newEvent('Late')], 0)).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(store.append(id, [newEvent('Late')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(store.append(id, [newEvent('Late'), newEvent('Late')], 5)).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(store.append(stream(), [newEvent('Late')], 3)).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect((await store.readStream(id)).map((e) => e.type)).toEqual(['ThingHappened']);
    await store.append(id, [newEvent('Any')], 'any');
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('lets exactly one of 50 concurrent appenders win each version', async () => {
    const id = stream('race');
    const contenders = Array.from({ length: 50 }, (_, i) => i);
    const outcomes = await Promise.allSettled(contenders.map((i) => store.append(id, [newEvent('Won', { i })], 0)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersion);
    }
    // Then all 50 race with retries: every version 2..51 is taken exactly once, nobody is lost.
    await Promise.all(
      contenders.map(async (i) => {
        for (;;) {
          const version = (await store.readStream(id)).length;
          try {
            return await store.append(id, [newEvent('Queued', { i })], version);
          } catch (error) {
            if (!(error instanceof WrongExpectedVersion)) throw error;
          }
        }
      }),
    );
    const events = await store.readStream(id);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(new Set(events.slice(1).map((e) => e.data['i'])).size).toBe(50);
  });

  it('never lets a subscriber skip an event while concurrent writers commit out of order', async () => {
    const from = await headCursor(store);
    const seen: RecordedEvent[] = [];
    const subscription = new CatchUpSubscription(store, {
      from: async () => from,
      handle: async (batch) => void seen.push(...batch),
      pollMs: 5,
      batchSize: 7,
    });
    subscription.start();
    const writers = Array.from({ length: 10 }, async (_, w) => {
      for (let i = 0; i < 20; i++) await store.append(stream('w'), [newEvent('W', { w, i }), newEvent('W', { w, i })], 'no_stream');
    });
    await Promise.all(writers);
    await waitUntil(() => seen.length >= 400);
    await subscription.stop();
    expect(seen).toHaveLength(400);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(400);
  });

  it('holds back later commits until an earlier slow transaction commits', async () => {
    if (!harness.holdOpenAppend) {
      // Single-writer adapters serialise transactions, so a later commit cannot overtake an earlier one.
      return;
    }
    const from = await headCursor(store);
    const slow = await harness.holdOpenAppend(store, stream('slow'), newEvent('Slow'));
    const fast = await store.append(stream('fast'), [newEvent('Fast')], 'no_stream');
    expect(fast.events[0]!.type).toBe('Fast');
    // The fast event is committed, but a reader must not pass it while the slow one is in flight.
    expect((await readAllAfter(store, from)).map((e) => e.type)).toEqual([]);
    await slow.commit();
    expect((await readAllAfter(store, from)).map((e) => e.type)).toEqual(['Slow', 'Fast']);
  });

  it('resumes from a checkpoint after a restart without skipping or repeating', async () => {
    const from = await headCursor(store);
    for (let i = 0; i < 10; i++) await store.append(stream('resume'), [newEvent('R', { i })], 'no_stream');
    const firstHalf = (await store.readAll(from, { limit: 4 })).map((e) => e);
    const checkpoint = firstHalf[firstHalf.length - 1]!.cursor;
    await store.close();
    store = await harness.open();
    const rest = await readAllAfter(store, checkpoint);
    expect([...firstHalf, ...rest].map((e) => e.data['i'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
}

/** Multi-stream appends, for adapters that offer them (the suite skips itself otherwise). */
export function appendManyContract(harness: EventStoreHarness): void {
  let store: EventStore & { close(): Promise<void> };
  let appendMany: NonNullable<EventStore['appendMany']>;
  beforeAll(async () => {
    store = await harness.open();
    if (!store.appendMany) throw new Error('this adapter has no appendMany');
    appendMany = store.appendMany.bind(store);
  });
  afterAll(async () => store.close());

  it('appends to several streams at their expected versions in one commit, answering in the order given', async () => {
    const [a, b, c] = [stream('a'), stream('b'), stream('c')];
    await store.append(b, [newEvent('B1')], 'no_stream');
    await store.append(a, [newEvent('A1')], 'no_stream');
    const results = await appendMany([
      { streamId: c, events: [newEvent('C1', { n: 1 }), newEvent('C2', { n: 2 })], expectedVersion: 'no_stream' },
      { streamId: b, events: [newEvent('B2')], expectedVersion: 1 },
      { streamId: a, events: [newEvent('A2')], expectedVersion: 'any' },
      { streamId: stream('d'), events: [newEvent('D1')], expectedVersion: 'any' },
    ]);
    expect(results.map((r) => [r.events.map((e) => [e.type, e.streamVersion]), r.nextVersion])).toEqual([
      [
        [
          ['C1', 1],
          ['C2', 2],
        ],
        2,
      ],
      [[['B2', 2]], 2],
      [[['A2', 2]], 2],
      [[['D1', 1]], 1],
    ]);
    expect(results[0]!.events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await store.readStream(c)).map((e) => [e.type, e.streamVersion])).toEqual([
      ['C1', 1],
      ['C2', 2],
    ]);
    // One commit: every event of the call shares the transaction part of its cursor.
    expect(new Set(results.flatMap((r) => r.events.map((e) => e.cursor.split(':')[0]))).size).toBe(1);
    // Positions follow the events within each stream.
    expect(results[0]!.events[0]!.position).toBeLessThan(results[0]!.events[1]!.position);
  });

  it('appends nothing when a stream is not at its expected version, naming that stream and its version', async () => {
    const [taken, fresh1, fresh2] = [stream('taken'), stream('fresh'), stream('fresh')];
    await store.append(taken, [newEvent('T1'), newEvent('T2')], 'no_stream');
    const noStream = appendMany([
      { streamId: fresh1, events: [newEvent('N')], expectedVersion: 'no_stream' },
      { streamId: taken, events: [newEvent('N')], expectedVersion: 'no_stream' },
      { streamId: fresh2, events: [newEvent('N')], expectedVersion: 'any' },
    ]);
    await expect(noStream).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(noStream).rejects.toMatchObject({ streamId: taken, actual: 2 });
    const missing = stream('missing');
    await expect(
      appendMany([
        { streamId: fresh1, events: [newEvent('N')], expectedVersion: 'no_stream' },
        { streamId: missing, events: [newEvent('N')], expectedVersion: 3 },
      ]),
    ).rejects.toMatchObject({ streamId: missing, actual: null });
    await expect(appendMany([{ streamId: taken, events: [newEvent('N')], expectedVersion: 1 }])).rejects.toMatchObject({
      streamId: taken,
      actual: 2,
    });
    for (const id of [fresh1, fresh2, missing]) expect(await store.readStream(id)).toEqual([]);
    for (const id of [fresh1, fresh2, missing]) expect(await store.streamVersion(id)).toBeNull();
    expect(await store.streamVersion(taken)).toBe(2);
    expect(await store.readStream(taken)).toHaveLength(2);
    // The refused calls moved no stream: the next append still finds them where they were.
    await store.append(taken, [newEvent('T3')], 2);
    await store.append(fresh1, [newEvent('F1')], 'no_stream');
  });

  it('appends nothing when an event id is already stored', async () => {
    const old = newEvent('Old');
    await store.append(stream('old'), [old], 'no_stream');
    const fresh = stream('fresh');
    await expect(
      appendMany([
        { streamId: fresh, events: [newEvent('N')], expectedVersion: 'no_stream' },
        { streamId: stream('dup'), events: [{ ...newEvent('N'), eventId: old.eventId }], expectedVersion: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await store.readStream(fresh)).toEqual([]);
  });

  it('lets exactly one of 20 concurrent calls create a shared stream, each call whole or not at all', async () => {
    const shared = stream('shared');
    const calls = Array.from({ length: 20 }, (_, i) => {
      const own = stream(`own${i}`);
      return appendMany([
        { streamId: own, events: [newEvent('Own', { i })], expectedVersion: 'no_stream' },
        { streamId: shared, events: [newEvent('Shared', { i })], expectedVersion: 'no_stream' },
        { streamId: stream('any'), events: [newEvent('Any', { i })], expectedVersion: 'any' },
      ]).then(
        () => ({ i, own, won: true }),
        (error: unknown) => {
          if (!(error instanceof WrongExpectedVersion)) throw error;
          return { i, own, won: false };
        },
      );
    });
    const outcomes = await Promise.all(calls);
    const winners = outcomes.filter((o) => o.won);
    expect(winners).toHaveLength(1);
    expect((await store.readStream(shared)).map((e) => e.data['i'])).toEqual([winners[0]!.i]);
    for (const o of outcomes) expect(await store.readStream(o.own)).toHaveLength(o.won ? 1 : 0);
  });

  it('refuses the same stream twice in one call', async () => {
    const id = stream('twice');
    await expect(
      appendMany([
        { streamId: id, events: [newEvent('N')], expectedVersion: 'any' },
        { streamId: id, events: [newEvent('N')], expectedVersion: 'any' },
      ]),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await store.readStream(id)).toEqual([]);
  });
}

export async function waitUntil(condition: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
