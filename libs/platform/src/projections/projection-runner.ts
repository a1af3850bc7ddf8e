import { createHash } from 'node:crypto';
import type { Cursor, EventStore, ReadAllOptions, RecordedEvent } from '#kernel';
import { compareCursors, START } from '#kernel';
import {
  CatchUpSubscription,
  EventQuarantine,
  forgetQuarantined,
  LEADER_LOCK_KEYS,
  LeaderSubscription,
  mayBeTheEventsFault,
  SubscriberPositionMoved,
} from '#event-store';
import type { LeaderLock, LeaderRole, QuarantineSummary, SqlDatabase, SqlExecutor } from '#event-store';
import { InProcessLock, PostgresAdvisoryLock } from '#event-store/adapters';
import type { Projection } from './projection.js';
import { readModelDdl, readModelSchema } from './projection.js';
import type { ReplayResult } from './projection-quarantine.js';
import { applyOneByOne, projectionSubscriber, replayQuarantined } from './projection-quarantine.js';

/** One row per projection version: its schema and its checkpoint, written with the read model. */
const REGISTRY = `
CREATE TABLE IF NOT EXISTS read_model_versions (
  projection text NOT NULL,
  version integer NOT NULL,
  schema_name text NOT NULL,
  cursor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  caught_up_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, version)
)`;

/**
 * Moves the checkpoint only from where this runner left it: a read model rebuilt meanwhile (or a
 * second runner after a lost lock) makes the batch fail and roll back, and the runner resumes
 * from the checkpoint as it now stands.
 */
const SAVE_CHECKPOINT = `
UPDATE read_model_versions SET cursor = $4, updated_at = now()
WHERE projection = $1 AND version = $2 AND cursor = $3 RETURNING 1`;

/** How long a projection that only skips events may leave its stored checkpoint behind. */
const IDLE_CHECKPOINT_MS = 5000;
/** How often an idle active runner checks that nobody reset its checkpoint (an admin rebuild on another replica). */
const IDLE_FENCE_MS = 1000;

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** `active`: this process applies the projection; `standby`: another process does, and this one reads its checkpoint. */
  readonly role: LeaderRole;
  readonly cursor: Cursor | null;
  readonly error: string | null;
}

export interface ProjectionRunnerOptions {
  /**
   * The lock that elects the one runner of a projection version across processes (see
   * `projectionLocks`). Default: one runner per database object in this process.
   */
  readonly lockFor?: (projection: Projection) => LeaderLock;
  readonly onError?: (projection: string, error: unknown) => void;
  /** An event the projection could not apply was set aside (see EventQuarantine) and the projection went on. */
  readonly onQuarantined?: (projection: string, event: RecordedEvent, error: unknown) => void;
  /** How often a standby tries the lock. */
  readonly standbyRetryMs?: number;
  /** How often a standby re-reads the stored checkpoints while nobody waits for them. */
  readonly standbyRefreshMs?: number;
}

/**
 * 64-bit advisory-lock key of one projection version, derived from its name in the key space of
 * `LEADER_LOCK_KEYS.projections`. Each version has its own runner, so a new version builds while
 * replicas of the previous release still keep the old one up to date.
 */
export function projectionLockKey(name: string, version: number): string {
  return createHash('sha256').update(`${LEADER_LOCK_KEYS.projections}:${name}:v${version}`).digest().readBigInt64BE(0).toString();
}

/** Advisory locks on PostgreSQL (one active runner per projection version across replicas), else in-process locks. */
export function projectionLocks(db: SqlDatabase, databaseUrl: string | null): (projection: Projection) => LeaderLock {
  if (db.kind === 'postgres' && databaseUrl) {
    return (p) =>
      new PostgresAdvisoryLock(databaseUrl, {
        key: projectionLockKey(p.name, p.version),
        applicationName: `projection:${p.name}:v${p.version}`,
      });
  }
  return (p) => new InProcessLock(db, projectionLockKey(p.name, p.version));
}

/**
 * Runs each projection version on a leader subscription: across processes, whoever holds its lock
 * applies it, and the others stand by, reading the active runner's checkpoint for read-your-writes
 * and following the log only for projections that `observe`. On start, a version the database
 * does not have yet is created in a fresh schema and built from position zero.
 */
export class ProjectionRunner {
  private readonly tracks: ProjectionTrack[] = [];
  private refresher: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  /** Events the projections set aside; shared by every replica through the database. */
  readonly quarantine: EventQuarantine;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('projection names must be unique');
    for (const p of projections) readModelSchema(p.name, p.version);
    this.quarantine = new EventQuarantine(db);
  }

  async start(): Promise<void> {
    if (this.tracks.length > 0) return;
    await this.quarantine.migrate();
    for (const projection of this.projections) {
      await this.db.transaction(async (tx) => {
        await lockDdl(tx);
        const rows = await tx.query('SELECT 1 FROM read_model_versions WHERE projection = $1 AND version = $2', [
          projection.name,
          projection.version,
        ]);
        if (rows.length === 0) await createVersion(tx, projection, 'insert');
      });
    }
    for (const projection of this.projections) {
      const track = new ProjectionTrack(this.store, this.db, this.quarantine, projection, this.options);
      this.tracks.push(track);
      track.start();
    }
    this.refresher = setInterval(() => void this.refreshStandbys().catch(() => undefined), this.options.standbyRefreshMs ?? 1000);
    this.refresher.unref();
  }

  async stop(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = null;
    await Promise.all(this.tracks.map((t) => t.stop()));
    this.tracks.length = 0;
  }

  /**
   * Empties the read model (its version's schema is created afresh) and replays the whole log
   * into it; resolves once it has caught up. On a standby, the active runner elsewhere notices the
   * reset checkpoint and rebuilds.
   */
  async rebuild(name: string): Promise<void> {
    const track = this.tracks.find((t) => t.projection.name === name);
    if (!track) throw new RangeError(`unknown projection ${name}`);
    await track.rebuild();
  }

  /**
   * Applies the projection's quarantined events again (after a fix), oldest first; those that
   * still fail stay quarantined with their newest error.
   */
  async replayQuarantined(name: string): Promise<ReplayResult> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new RangeError(`unknown projection ${name}`);
    return replayQuarantined({ db: this.db, projection, quarantine: this.quarantine }, this.store, lockDdl);
  }

  /** Count and earliest quarantined event of each projection of this app (read from the database, so every replica agrees). */
  async quarantined(): Promise<Map<string, QuarantineSummary>> {
    const all = await this.quarantine.summary();
    return new Map(this.projections.map((p) => [p.name, all.get(projectionSubscriber(p)) ?? { count: 0, first: null }]));
  }

  /** The projection's quarantined events, oldest first. */
  quarantinedEvents(name: string, limit = 100): ReturnType<EventQuarantine['list']> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new RangeError(`unknown projection ${name}`);
    return this.quarantine.list(projectionSubscriber(projection), limit);
  }

  /**
   * Resolves once every projection (or those named in `only`) has applied everything up to
   * `cursor`, so a caller reads its own writes. Gives up silently after `timeoutMs` (reads are
   * then merely stale). Where this process is active that is its own position; on a standby, the
   * checkpoint stored by the active runner (and, for observed projections, this process's view).
   */
  async waitFor(cursor: Cursor, timeoutMs = 2000, only?: readonly string[]): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const watched = this.tracks.filter((t) => !only || only.includes(t.projection.name));
    for (;;) {
      const behind = watched.filter((t) => {
        const position = t.position;
        return position === null || compareCursors(position, cursor) < 0;
      });
      if (behind.length === 0) return true;
      if (Date.now() > deadline) return false;
      if (behind.some((t) => !t.active)) {
        await this.refreshStandbys().catch(() => undefined);
        await sleep(5);
      } else await sleep(2);
    }
  }

  status(): ProjectionStatus[] {
    return this.projections.map((p) => {
      const t = this.tracks.find((track) => track.projection === p);
      const error = t?.error;
      return {
        name: p.name,
        version: p.version,
        role: t?.role ?? 'stopped',
        cursor: t?.position ?? null,
        error: error ? (error instanceof Error ? error.message : JSON.stringify(error)) : null,
      };
    });
  }

  /** One query for every waiter at once: the stored checkpoints of the versions this process stands by for. */
  private refreshStandbys(): Promise<void> {
    const standbys = this.tracks.filter((t) => !t.active);
    if (standbys.length === 0) return Promise.resolve();
    this.refreshing ??= (async () => {
      try {
        const rows = await this.db.query<{ projection: string; version: number; cursor: string }>(
          'SELECT projection, version, cursor FROM read_model_versions',
        );
        for (const t of standbys) {
          const row = rows.find((r) => r.projection === t.projection.name && Number(r.version) === t.projection.version);
          if (row && !t.active) t.storedSeen = row.cursor;
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

/** One projection version in this process: its leader subscription and, on a standby, its follower. */
class ProjectionTrack {
  /** The stored checkpoint as this process last read it (a standby's view of the active runner). */
  storedSeen: Cursor | null = null;
  /** Where the active subscription of this process left the stored checkpoint. */
  private expected: Cursor = START;
  private readonly leader: LeaderSubscription;
  private follower: CatchUpSubscription | null = null;
  private followerStopped: Promise<Cursor | null> = Promise.resolve(null);
  private caughtUp = false;
  private fenceCheckedAt = 0;
  private readonly types: ReadonlySet<string> | null;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly quarantine: EventQuarantine,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.types = projection.eventTypes ? new Set(projection.eventTypes) : null;
    let savedAt = Date.now();
    const p = projection;
    this.leader = new LeaderSubscription(this.fencedStore(), {
      lock: options.lockFor?.(p) ?? new InProcessLock(db, projectionLockKey(p.name, p.version)),
      ...(options.standbyRetryMs !== undefined ? { standbyRetryMs: options.standbyRetryMs } : {}),
      from: async () => {
        const cursor = await this.readCheckpoint();
        await this.observeGap(cursor);
        this.expected = cursor;
        this.storedSeen = cursor;
        return cursor;
      },
      ...(p.eventTypes ? { onlyDataOf: p.eventTypes } : {}),
      handle: async (batch) => {
        const end = batch[batch.length - 1]!.cursor;
        const relevant = this.relevant(batch);
        const from = this.expected;
        if (relevant.length === 0) {
          // Nothing to apply: the checkpoint may lag (a restart re-reads only events it skips
          // again), so it is written now and then rather than once per batch.
          if (Date.now() - savedAt >= IDLE_CHECKPOINT_MS) {
            await saveCheckpoint(this.db, p, from, end);
            this.expected = end;
            savedAt = Date.now();
          }
          return;
        }
        p.observe?.(relevant);
        try {
          // Not durable: the read model and its checkpoint are lost together or not at all, and
          // replayed from the store, so no commit here needs to wait for a WAL flush.
          await this.db.transaction(
            async (tx) => {
              if (p.applyBatch) await p.applyBatch(tx, relevant);
              else for (const event of relevant) await p.apply(tx, event);
              await saveCheckpoint(tx, p, from, end);
            },
            { durable: false },
          );
        } catch (error) {
          if (!mayBeTheEventsFault(error)) throw error;
          // Find the event at fault: apply them one by one, quarantining what cannot be applied.
          await applyOneByOne(
            {
              db: this.db,
              projection: p,
              quarantine: this.quarantine,
              saveCheckpoint: (tx, at, to) => saveCheckpoint(tx, p, at, to),
              onQuarantined: (event, cause) => this.options.onQuarantined?.(p.name, event, cause),
            },
            relevant,
            from,
            end,
            (cursor) => (this.expected = cursor),
          );
        }
        this.expected = end;
        savedAt = Date.now();
      },
      onError: (error) => this.options.onError?.(p.name, error),
      onRoleChange: (role) => this.roleChanged(role),
    });
  }

  get active(): boolean {
    return this.leader.role === 'active';
  }

  get role(): LeaderRole {
    return this.leader.role;
  }

  get error(): unknown {
    return this.leader.error;
  }

  /** Active: where the subscription is. Otherwise the stored checkpoint, no further than this process has observed. */
  get position(): Cursor | null {
    if (this.active) return this.leader.position;
    const stored = this.storedSeen;
    if (stored === null || !this.follower) return stored;
    const seen = this.follower.position;
    return seen === null ? null : compareCursors(seen, stored) < 0 ? seen : stored;
  }

  start(): void {
    this.leader.start();
  }

  async stop(): Promise<void> {
    await this.leader.stop();
    await this.stopFollower();
  }

  async rebuild(): Promise<void> {
    const wasActive = this.active;
    if (wasActive) await this.leader.stop();
    this.caughtUp = false;
    await this.db.transaction(async (tx) => {
      await lockDdl(tx);
      await createVersion(tx, this.projection, 'reset');
    });
    this.storedSeen = START;
    if (wasActive) this.leader.start();
    // Whichever process runs it marks the version caught up again.
    for (;;) {
      const rows = await this.db.query<{ caught_up: boolean }>(
        'SELECT caught_up_at IS NOT NULL AS caught_up FROM read_model_versions WHERE projection = $1 AND version = $2',
        [this.projection.name, this.projection.version],
      );
      if (rows[0]?.caught_up) return;
      await sleep(20);
    }
  }

  private relevant(batch: readonly RecordedEvent[]): readonly RecordedEvent[] {
    const types = this.types;
    return types ? batch.filter((e) => types.has(e.type)) : batch;
  }

  private async readCheckpoint(): Promise<Cursor> {
    const rows = await this.db.query<{ cursor: string }>('SELECT cursor FROM read_model_versions WHERE projection = $1 AND version = $2', [
      this.projection.name,
      this.projection.version,
    ]);
    if (!rows[0]) throw new Error(`read model ${readModelSchema(this.projection.name, this.projection.version)} is not registered`);
    return rows[0].cursor;
  }

  private roleChanged(role: LeaderRole): void {
    if (role === 'standby' && this.projection.observe && !this.follower) this.startFollower();
    else if (role !== 'standby' && this.follower) this.followerStopped = this.stopFollower();
  }

  /** A standby follows the log only to tell an observing projection what changed; it writes nothing. */
  private startFollower(): void {
    const observe = this.projection.observe!.bind(this.projection);
    const follower = new CatchUpSubscription(this.store, {
      from: () => this.readCheckpoint(),
      ...(this.projection.eventTypes ? { onlyDataOf: this.projection.eventTypes } : {}),
      handle: async (batch) => {
        const relevant = this.relevant(batch);
        if (relevant.length > 0) observe(relevant);
      },
    });
    this.follower = follower;
    follower.start();
  }

  private async stopFollower(): Promise<Cursor | null> {
    const follower = this.follower;
    if (!follower) return null;
    this.follower = null;
    await follower.stop();
    return follower.position;
  }

  /** On becoming active: tell the projection of what the former active runner applied after this process's follower stopped. */
  private async observeGap(checkpoint: Cursor): Promise<void> {
    let seen = await this.followerStopped;
    this.followerStopped = Promise.resolve(null);
    const observe = this.projection.observe?.bind(this.projection);
    if (!observe || seen === null) return;
    while (compareCursors(seen, checkpoint) < 0) {
      const batch = await this.store.readAll(seen, {
        limit: 500,
        ...(this.projection.eventTypes ? { onlyDataOf: this.projection.eventTypes } : {}),
      });
      if (batch.length === 0) return;
      const upTo = batch.filter((e) => compareCursors(e.cursor, checkpoint) <= 0);
      const relevant = this.relevant(upTo);
      if (relevant.length > 0) observe(relevant);
      seen = batch[batch.length - 1]!.cursor;
    }
  }

  /**
   * The store as the active subscription sees it: a read that finds nothing new means the
   * projection has caught up (the first time, the version is marked caught up and versions older
   * than its predecessor are dropped), and, now and then while idle, that nobody has reset the
   * checkpoint behind this runner's back (an admin rebuild on another replica).
   */
  private fencedStore(): EventStore {
    const store = this.store;
    const readAll = async (after: Cursor, options?: ReadAllOptions): Promise<RecordedEvent[]> => {
      const batch = await store.readAll(after, options);
      if (batch.length > 0) return batch;
      if (!this.caughtUp) {
        await markCaughtUp(this.db, this.projection);
        this.caughtUp = true;
      } else if (Date.now() - this.fenceCheckedAt >= IDLE_FENCE_MS) {
        this.fenceCheckedAt = Date.now();
        if ((await this.readCheckpoint()) !== this.expected) {
          this.caughtUp = false;
          throw new SubscriberPositionMoved(`the checkpoint of ${this.projection.name} was reset; resuming from it`);
        }
      }
      return batch;
    };
    return new Proxy(store, {
      get(target, property) {
        if (property === 'readAll') return readAll;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

/** Serialises read-model DDL across replicas (a transaction-scoped advisory lock, PGlite too). */
async function lockDdl(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LEADER_LOCK_KEYS.projections]);
  await tx.query(REGISTRY);
}

/** Creates the version's schema afresh, with its checkpoint at the start of the log. */
async function createVersion(tx: SqlExecutor, projection: Projection, mode: 'insert' | 'reset'): Promise<void> {
  const schema = readModelSchema(projection.name, projection.version);
  for (const statement of readModelDdl(projection)) await tx.query(statement);
  await forgetQuarantined(tx, projectionSubscriber(projection)); // the build from zero meets them again
  if (mode === 'insert') {
    await tx.query('INSERT INTO read_model_versions (projection, version, schema_name, cursor) VALUES ($1, $2, $3, $4)', [
      projection.name,
      projection.version,
      schema,
      START,
    ]);
  } else {
    await tx.query(
      'UPDATE read_model_versions SET cursor = $3, caught_up_at = NULL, updated_at = now() WHERE projection = $1 AND version = $2',
      [projection.name, projection.version, START],
    );
  }
}

async function saveCheckpoint(tx: SqlExecutor, projection: Projection, from: Cursor, to: Cursor): Promise<void> {
  const rows = await tx.query(SAVE_CHECKPOINT, [projection.name, projection.version, from, to]);
  if (rows.length === 0)
    throw new SubscriberPositionMoved(
      `the checkpoint of ${projection.name} moved (rebuilt, or applied by another runner); resuming from it`,
    );
}

/**
 * The first catch-up of a version: it is marked caught up, and versions older than the newest
 * one below it are dropped. That one is kept: replicas of the previous release may still serve
 * it during a rolling deploy, and a rollback resumes it from its checkpoint.
 */
async function markCaughtUp(db: SqlDatabase, projection: Projection): Promise<void> {
  await db.transaction(async (tx) => {
    await lockDdl(tx);
    await tx.query('UPDATE read_model_versions SET caught_up_at = now() WHERE projection = $1 AND version = $2 AND caught_up_at IS NULL', [
      projection.name,
      projection.version,
    ]);
    const older = await tx.query<{ version: number; schema_name: string }>(
      'SELECT version, schema_name FROM read_model_versions WHERE projection = $1 AND version < $2 ORDER BY version DESC',
      [projection.name, projection.version],
    );
    for (const { version, schema_name } of older.slice(1)) {
      await tx.query(`DROP SCHEMA IF EXISTS ${schema_name} CASCADE`);
      await tx.query('DELETE FROM read_model_versions WHERE projection = $1 AND version = $2', [projection.name, version]);
      await forgetQuarantined(tx, projectionSubscriber({ name: projection.name, version }));
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
