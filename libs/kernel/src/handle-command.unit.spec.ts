import type { Decider, DomainEvent } from './index.js';
import { handleCommand, IllegalState, SequentialIds, WrongExpectedVersion } from './index.js';
import { InMemoryEventStore } from '#testing';

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
