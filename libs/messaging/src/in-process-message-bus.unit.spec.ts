import { InProcessMessageBus } from './in-process-message-bus.js';
import type { BusMessage, ReceivedMessage } from './message-bus.js';

const msg = (topic: string, key: string, n: number): BusMessage => ({
  topic,
  key,
  value: Buffer.from(String(n)),
  headers: { n: String(n) },
});
const numbers = (received: readonly ReceivedMessage[]) => received.map((m) => Number(m.value!.toString()));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('InProcessMessageBus', () => {
  let bus: InProcessMessageBus;
  beforeEach(() => (bus = new InProcessMessageBus({ redeliveryMs: 10 })));
  afterEach(() => bus.close());

  it('delivers every message to each group, in publish order, with offsets', async () => {
    const a: ReceivedMessage[] = [];
    const b: ReceivedMessage[] = [];
    await bus.subscribe({ group: 'a', topics: ['t'], handle: async (m) => void a.push(m) });
    await bus.subscribe({ group: 'b', topics: ['t'], handle: async (m) => void b.push(m) });
    await bus.publish([msg('t', 'k1', 1), msg('t', 'k2', 2)]);
    await bus.publish([msg('t', 'k1', 3)]);
    expect(numbers(a)).toEqual([1, 2, 3]);
    expect(numbers(b)).toEqual([1, 2, 3]);
    expect(a.map((m) => m.offset)).toEqual(['0', '1', '2']);
    expect(a[0]).toMatchObject({ topic: 't', key: 'k1', partition: 0, headers: { n: '1' } });
  });

  it('resolves publish only once every subscribed group has handled the messages', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: number[] = [];
    await bus.subscribe({
      group: 'slow',
      topics: ['t'],
      handle: async (m) => {
        await gate;
        handled.push(Number(m.value!.toString()));
      },
    });
    let published = false;
    const publishing = bus.publish([msg('t', 'k', 1)]).then(() => (published = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(published).toBe(false);
    release();
    await publishing;
    expect(handled).toEqual([1]);
  });

  it('delivers a message again after its handler rejected, before any later one', async () => {
    const seen: number[] = [];
    let failures = 2;
    await bus.subscribe({
      group: 'g',
      topics: ['t'],
      handle: async (m) => {
        const n = Number(m.value!.toString());
        seen.push(n);
        if (n === 1 && failures-- > 0) throw new Error('transient');
      },
    });
    await bus.publish([msg('t', 'k', 1), msg('t', 'k', 2)]);
    expect(seen).toEqual([1, 1, 1, 2]);
  });

  it('lets a later group read what is retained, or only new messages', async () => {
    await bus.publish([msg('t', 'k', 1), msg('t', 'k', 2)]);
    const early: ReceivedMessage[] = [];
    const late: ReceivedMessage[] = [];
    await bus.subscribe({ group: 'from-start', topics: ['t'], handle: async (m) => void early.push(m) });
    await bus.subscribe({ group: 'from-end', topics: ['t'], fromBeginning: false, handle: async (m) => void late.push(m) });
    await bus.publish([msg('t', 'k', 3)]);
    expect(numbers(early)).toEqual([1, 2, 3]);
    expect(numbers(late)).toEqual([3]);
  });

  it('reports the lag of a group as it consumes', async () => {
    const lags: number[] = [];
    await bus.publish([msg('t', 'k', 1), msg('t', 'k', 2), msg('t', 'k', 3)]);
    const sub = await bus.subscribe({ group: 'g', topics: ['t'], handle: async () => undefined, onLag: (_t, _p, lag) => lags.push(lag) });
    await until(() => lags.length === 3);
    expect(lags).toEqual([2, 1, 0]);
    await sub.stop();
  });

  it('drains what a topic holds for a group, once, up to a limit', async () => {
    await bus.publish([1, 2, 3, 4, 5].map((n) => msg('t.dlq', 'k', n)));
    const drained: ReceivedMessage[] = [];
    const handle = async (m: ReceivedMessage) => void drained.push(m);
    expect(await bus.drain({ group: 'replay', topic: 't.dlq', limit: 3, handle })).toBe(3);
    expect(await bus.drain({ group: 'replay', topic: 't.dlq', limit: 10, handle })).toBe(2);
    expect(await bus.drain({ group: 'replay', topic: 't.dlq', limit: 10, handle })).toBe(0);
    expect(numbers(drained)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps only the newest messages beyond its retention', async () => {
    const small = new InProcessMessageBus({ retain: 3 });
    await small.publish([1, 2, 3, 4, 5].map((n) => msg('t', 'k', n)));
    expect(small.retained('t').map((m) => Number(m.value!.toString()))).toEqual([3, 4, 5]);
    const seen: ReceivedMessage[] = [];
    await small.subscribe({ group: 'g', topics: ['t'], handle: async (m) => void seen.push(m) });
    await until(() => seen.length === 3);
    expect(seen.map((m) => m.offset)).toEqual(['2', '3', '4']);
    await small.close();
  });
});
