import type { AppendResult, Decider, DomainEvent, StreamAppend } from './index.js';
import { CommandExecutor, Conflict, handleCommand, IllegalState, SequentialIds, START, WrongExpectedVersion } from './index.js';
import { InMemoryEventStore } from '#testing';
import { PgliteDatabase, SqlEventStore } from '#event-store/adapters';

type CounterEvent = DomainEvent<'Incremented', { by: number }>;
type CounterCommand = { type: 'Increment'; by: number };
type CounterState = { total: number };

const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.by }),
  decide: (c, s) => {
    if (s.total + c.by > 10) throw new IllegalState('counter would exceed 10');
    return c.by === 0 ? [] : [{ type: 'Incremented', data: { by: c.by } }];
  },
};
const meta = { actor: 'alice', correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00Z' };

describe('handleCommand', () => {
  it('folds the stream, decides and appends with the version it read', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 3 }, meta, { ids: new SequentialIds('e') });
    const result = await handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 4 }, meta);
    expect(result.state).toEqual({ total: 7 });
    expect(result.append?.nextVersion).toBe(2);
    expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 3 }, { by: 4 }]);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryEventStore();
    const result = await handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 0 }, meta);
    expect(result.append).toBeNull();
    expect(await store.readStream('counter-1')).toEqual([]);
  });

  it('propagates the decider refusal and stores nothing', async () => {
    const store = new InMemoryEventStore();
    await expect(handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 11 }, meta)).rejects.toThrow(IllegalState);
    expect(await store.readStream('counter-1')).toEqual([]);
  });

  it('loses to a concurrent writer with WrongExpectedVersion', async () => {
    const store = new InMemoryEventStore();
    const original = store.readStream.bind(store);
    // Let a competing append slip in between this command's read and its append.
    store.readStream = async (id: string) => {
      const events = await original(id);
      store.readStream = original;
      await store.append(id, [{ eventId: 'x', type: 'Incremented', data: { by: 1 }, metadata: meta }], 'any');
      return events;
    };
    await expect(handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 2 }, meta)).rejects.toThrow(WrongExpectedVersion);
    expect(await store.readStream('counter-1')).toHaveLength(1);
  });
});

type Noted = DomainEvent<'Noted', { value: string }>;
type Note = { type: 'Note'; value: string };
/** Notes a value once: the same value again decides nothing, another is a Conflict. */
const once: Decider<Note, Noted, { value: string | null }> = {
  initialState: () => ({ value: null }),
  evolve: (_, e) => ({ value: e.data.value }),
  decide: (c, s) => {
    if (s.value === null) return [{ type: 'Noted', data: { value: c.value } }];
    if (s.value === c.value) return [];
    throw new Conflict(`already noted ${s.value}`);
  },
};

describe('CommandExecutor (embedded PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let committed: AppendResult[][];
  let executor: CommandExecutor;
  const decision = (n: number): StreamAppend => ({
    streamId: `decision-${n}`,
    expectedVersion: 'any',
    events: [{ eventId: `d${n}`, type: 'Allowed', data: { n }, metadata: meta }],
  });
  const txid = (cursor: string) => cursor.split(':')[0];
  const all = () => store.readAll(START, { limit: 1000 });
  const note = (streamId: string, value: string, assume?: 'new') => ({
    streamId,
    decider: once,
    command: { type: 'Note' as const, value },
    metadata: meta,
    ...(assume ? { assume } : {}),
  });

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    committed = [];
    executor = new CommandExecutor(store, { ids: new SequentialIds('e'), onCommitted: (appended) => committed.push([...appended]) });
  });
  afterEach(async () => db.close());

  it('commits what goes alongside (the decision) with the command events in one commit, told once', async () => {
    const result = await executor.execute(note('note-1', 'a'), [decision(1)]);
    expect(result.state).toEqual({ value: 'a' });
    const events = await all();
    expect(events.map((e) => [e.streamId, e.type])).toEqual(
      expect.arrayContaining([
        ['decision-1', 'Allowed'],
        ['note-1', 'Noted'],
      ]),
    );
    expect(new Set(events.map((e) => txid(e.cursor))).size).toBe(1);
    expect(committed.map((c) => c.map((a) => a.events[0]!.streamId))).toEqual([['decision-1', 'note-1']]);
  });

  it('commits what goes alongside alone when the command decides nothing, and nothing at all when the decider refuses', async () => {
    await executor.execute(note('note-1', 'a'));
    const result = await executor.execute(note('note-1', 'a'), [decision(2)]);
    expect(result.append).toBeNull();
    expect(result.history.map((e) => e.type)).toEqual(['Noted']);
    await expect(executor.execute(note('note-1', 'b'), [decision(3)])).rejects.toBeInstanceOf(Conflict);
    expect((await all()).map((e) => e.streamId)).toEqual(['note-1', 'decision-2']);
  });

  it('stores neither the events nor what goes alongside when a concurrent writer wins', async () => {
    const original = store.readStream.bind(store);
    store.readStream = async (id: string) => {
      const events = await original(id);
      store.readStream = original;
      await store.append(id, [{ eventId: 'x', type: 'Noted', data: { value: 'z' }, metadata: meta }], 'any');
      return events;
    };
    await expect(executor.execute(note('note-1', 'a'), [decision(1)])).rejects.toThrow(WrongExpectedVersion);
    expect((await all()).map((e) => e.eventId)).toEqual(['x']);
  });

  it('runs many commands in one commit; a stream found taken is decided again on what it holds, the rest still go together', async () => {
    await executor.execute(note('note-same', 'a'));
    await executor.execute(note('note-other', 'a'));
    const before = committed.length;
    const outcomes = await executor.executeAll(
      [note('note-1', 'x', 'new'), note('note-same', 'a', 'new'), note('note-other', 'b', 'new'), note('note-2', 'y', 'new')],
      [decision(1), decision(2)],
      { concurrency: 4 },
    );
    expect(outcomes[1]).toMatchObject({ append: null, history: [{ streamId: 'note-same' }] });
    expect(outcomes[2]).toBeInstanceOf(Conflict);
    const events = await all();
    const commitOf = (streamId: string) => txid(events.find((e) => e.streamId === streamId)!.cursor);
    expect(new Set(['note-1', 'note-2', 'decision-1', 'decision-2'].map(commitOf)).size).toBe(1);
    expect(events.filter((e) => e.streamId === 'note-other').map((e) => e.data['value'])).toEqual(['a']);
    expect(
      committed
        .slice(before)
        .flat()
        .map((a) => a.events[0]!.streamId)
        .sort(),
    ).toEqual(['decision-1', 'decision-2', 'note-1', 'note-2']);
  });
});
