import type { RecordedEvent, StreamAppend } from '#kernel';
import { CommandExecutor, Conflict, SequentialIds, START } from '#kernel';
import { PgliteDatabase, SqlEventStore } from '#event-store/adapters';
import { CdEventJournal, type JournalEntry, type RecordOutcome, type ToRecord } from './cdevent-journal.js';
import { IngestCommitQueue } from './ingest-commit-queue.js';

const meta = { actor: 'ci', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' };

function entry(id: string, content = 'a'): ToRecord {
  const raw = JSON.stringify({ context: { id, source: '/ci' }, content });
  return {
    cdevent: {
      project: 'p',
      source: '/ci',
      id,
      timestamp: '2026-01-01T00:00:00Z',
      type: 't',
      rawType: 't',
      specVersion: '0.5.1',
      validated: true,
      binding: 'bare',
      fingerprint: `${id}-${content}`,
      raw,
      normalized: null,
      normalizationNotes: '',
    },
    metadata: meta,
  };
}

const decision = (n: number): StreamAppend => ({
  streamId: `access-decision-d${n}`,
  expectedVersion: 'any',
  events: [{ eventId: `decision-${n}`, type: 'AccessAllowed', data: { n }, metadata: meta }],
});

const recorded = (o: RecordOutcome | undefined): JournalEntry => {
  if (!o || o instanceof Conflict) throw new Error(`expected a recording, got ${String(o)}`);
  return o;
};

describe('IngestCommitQueue (embedded PGlite)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let queue: IngestCommitQueue;
  const all = async (): Promise<RecordedEvent[]> => store.readAll(START, { limit: 10_000 });
  const txid = (cursor: string) => cursor.split(':')[0];

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    queue = new IngestCommitQueue(new CdEventJournal(new CommandExecutor(store, { ids: new SequentialIds('e') })), 8);
  });
  afterEach(async () => db.close());

  it('commits requests that arrive during a commit together, each with its decision, answering each its own', async () => {
    const answers = await Promise.all([
      queue.record([entry('a1')], decision(1)),
      queue.record([entry('b1'), entry('b2')], decision(2)),
      queue.record([entry('c1')], decision(3)),
      queue.record([], decision(4)),
    ]);
    expect(answers.map((a) => a.length)).toEqual([1, 2, 1, 0]);
    const events = await all();
    const byId = new Map(events.filter((e) => e.type === 'CdEventRecorded').map((e) => [e.data['id'], e]));
    for (const [i, ids] of [['a1'], ['b1', 'b2'], ['c1']].entries()) {
      ids.forEach((id, k) => expect(recorded(answers[i]![k]).position).toBe(byId.get(id)!.position));
    }
    expect(
      events
        .filter((e) => e.type === 'AccessAllowed')
        .map((e) => e.data['n'])
        .sort(),
    ).toEqual([1, 2, 3, 4]);
    // The first request went alone; the three that arrived meanwhile shared the next commit.
    const commitOf = (id: string) => txid(byId.get(id)!.cursor);
    expect(commitOf('a1')).not.toBe(commitOf('b1'));
    expect(new Set([commitOf('b1'), commitOf('b2'), commitOf('c1')]).size).toBe(1);
  });

  it('puts requests with the same identity in different commits: one records, the other finds it', async () => {
    const [first, second] = await Promise.all([queue.record([entry('x1')], decision(1)), queue.record([entry('x1')], decision(2))]);
    expect(recorded(first[0]).outcome).toBe('recorded');
    expect(recorded(second[0])).toMatchObject({ outcome: 'duplicate', position: recorded(first[0]).position });
    expect((await all()).filter((e) => e.type === 'AccessAllowed')).toHaveLength(2);
  });

  it('sets a taken identity aside and still commits the rest of the group together', async () => {
    await queue.record([entry('old')], decision(0));
    const [, group] = await Promise.all([
      queue.record([entry('first')], decision(1)),
      queue.record([entry('n1'), entry('old', 'other content'), entry('n2')], decision(2)),
    ]);
    expect(group[1]).toBeInstanceOf(Conflict);
    const events = await all();
    const commitOf = (id: string) => txid(events.find((e) => e.data['id'] === id)!.cursor);
    expect(commitOf('n1')).toBe(commitOf('n2'));
    expect(events.filter((e) => e.data['id'] === 'old')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'AccessAllowed')).toHaveLength(3);
  });
});
