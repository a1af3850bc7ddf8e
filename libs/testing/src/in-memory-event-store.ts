import type { AppendResult, Cursor, EventStore, ExpectedVersion, NewEvent, ReadAllOptions, RecordedEvent } from '#kernel';
import { compareCursors, makeCursor, WrongExpectedVersion } from '#kernel';

/** A non-durable event store for unit tests of handlers and projections. */
export class InMemoryEventStore implements EventStore {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private waiters: (() => void)[] = [];

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    await Promise.resolve();
    const stream = this.streams.get(streamId) ?? [];
    const want = expected === 'no_stream' ? 0 : expected;
    if (want !== 'any' && want !== stream.length) {
      throw new WrongExpectedVersion(streamId, expected, stream.length === 0 ? null : stream.length);
    }
    const recorded = events.map((e, i): RecordedEvent => {
      const position = this.all.length + i + 1;
      return {
        ...e,
        position,
        cursor: makeCursor(position, position),
        streamId,
        streamVersion: stream.length + i + 1,
        recordedAt: new Date().toISOString(),
      };
    });
    stream.push(...recorded);
    this.streams.set(streamId, stream);
    this.all.push(...recorded);
    this.waiters.splice(0).forEach((wake) => wake());
    return { nextVersion: stream.length, events: recorded, lastCursor: recorded[recorded.length - 1]!.cursor };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    await Promise.resolve();
    return (this.streams.get(streamId) ?? []).filter((e) => e.streamVersion >= fromVersion);
  }

  async streamVersion(streamId: string): Promise<number | null> {
    await Promise.resolve();
    return this.streams.get(streamId)?.length ?? null;
  }

  async readAll(after: Cursor, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    await Promise.resolve();
    return this.all.filter((e) => compareCursors(e.cursor, after) > 0).slice(0, options.limit ?? 1000);
  }

  waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async isEmpty(): Promise<boolean> {
    return this.all.length === 0;
  }

  async ping(): Promise<void> {}
  async close(): Promise<void> {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
