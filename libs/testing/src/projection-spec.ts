import type { DomainEvent, EventMetadata, RecordedEvent } from '#kernel';
import { makeCursor } from '#kernel';
import type { SqlDatabase } from '#event-store';
import { PgliteDatabase } from '#event-store/adapters';
import type { Projection } from '#platform';
import { readModelDdl } from '#platform';

/** A recorded event, or a domain event the spec records (positions, cursors, stream versions and metadata filled in). */
export type GivenEvent =
  RecordedEvent | (DomainEvent & { readonly streamId?: string; readonly metadata?: Partial<EventMetadata>; readonly recordedAt?: string });

export interface WhenApplied {
  /** Where the log is cut into batches (indexes into the given events); default one batch. */
  readonly cuts?: readonly number[];
  /** `apply`: each event through `apply` in a transaction of its own; default `applyBatch` where the projection has it, as the runner does. */
  readonly through?: 'apply' | 'applyBatch';
}

const DEFAULT_TIME = '2026-01-01T00:00:00.000Z';

/** Records the given events the way a store would: positions 1, 2, … in the order given. */
export function recordEvents(events: readonly GivenEvent[]): RecordedEvent[] {
  const versions = new Map<string, number>();
  return events.map((given, i) => {
    if ('cursor' in given && 'position' in given) return given;
    const position = i + 1;
    const streamId = given.streamId ?? 'stream-1';
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    const occurredAt = given.metadata?.occurredAt ?? DEFAULT_TIME;
    const recorded: RecordedEvent = {
      eventId: `event-${position}`,
      type: given.type,
      data: given.data,
      metadata: { actor: 'test', correlationId: `correlation-${position}`, ...given.metadata, occurredAt },
      position,
      cursor: makeCursor(position, position),
      streamId,
      streamVersion,
      recordedAt: given.recordedAt ?? occurredAt,
    };
    return recorded;
  });
}

/**
 * Given/when/then for projections, on a real embedded PostgreSQL (PGlite), in the projection's
 * own versioned schema, batch by batch as the runner applies them (only the declared event types,
 * each batch in one transaction, `observe` told first):
 *   const spec = projectionSpec(new MyProjection());
 *   await spec.given([events]).whenApplied().then((db) => queries(db).list(), expected);
 *   afterAll(() => spec.close());
 * The database is opened once per spec and the read model created afresh for every `whenApplied`.
 */
export function projectionSpec<P extends Projection>(projection: P) {
  let opened: Promise<PgliteDatabase> | null = null;
  const database = () => (opened ??= PgliteDatabase.open());
  const types = projection.eventTypes ? new Set(projection.eventTypes) : null;

  async function applyAll(events: readonly RecordedEvent[], options: WhenApplied): Promise<PgliteDatabase> {
    const db = await database();
    await db.transaction(async (tx) => {
      for (const statement of readModelDdl(projection)) await tx.query(statement);
    });
    const relevant = (batch: readonly RecordedEvent[]) => (types ? batch.filter((e) => types.has(e.type)) : batch);
    const cuts = options.through === 'apply' ? events.map((_, i) => i).slice(1) : (options.cuts ?? []);
    let from = 0;
    for (const to of [...cuts, events.length]) {
      const batch = relevant(events.slice(from, to));
      from = to;
      if (batch.length === 0) continue;
      projection.observe?.(batch);
      await db.transaction(async (tx) => {
        if (projection.applyBatch && options.through !== 'apply') await projection.applyBatch(tx, batch);
        else for (const event of batch) await projection.apply(tx, event);
      });
    }
    return db;
  }

  return {
    projection,
    given(history: readonly GivenEvent[]) {
      const events = recordEvents(history);
      return {
        events,
        whenApplied(options: WhenApplied = {}) {
          return {
            /** Runs `query` on the read model; compares its answer with `expected` when given, and returns it. */
            async then<R>(query: (db: SqlDatabase) => Promise<R>, ...expected: [R] | []): Promise<R> {
              const db = await applyAll(events, options);
              const result = await query(db);
              if (expected.length > 0) expect(result).toEqual(expected[0]);
              return result;
            },
            /** Applying fails as `check` expects (e.g. `(p) => expect(p).rejects.toThrow(...)`). */
            async thenFails(check: (applying: Promise<unknown>) => Promise<void>): Promise<void> {
              await check(applyAll(events, options));
            },
          };
        },
      };
    },
    async close(): Promise<void> {
      if (opened) await (await opened).close();
    },
  };
}
