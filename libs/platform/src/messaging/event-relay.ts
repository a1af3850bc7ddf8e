import type { Cursor, EventStore, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import type { IntegrationEventMapper } from '#contracts';
import { CatchUpSubscription } from '../event-store/catch-up-subscription.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import type { HeldLock, SealerLock as LeaderLock } from '../transparency/sealer-lock.js';
import { InProcessLock } from '../transparency/sealer-lock.js';
import { encodeIntegrationEvent } from './cloud-event-binding.js';
import type { BusMessage, MessageBus, MessagingLog } from './message-bus.js';
import { silentLog } from './message-bus.js';
import type { MessagingMetrics } from './messaging-metrics.js';
import type { BacklogProbe } from './store-backlog.js';
import { readAheadBacklog } from './store-backlog.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_checkpoints (
  name text PRIMARY KEY,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);`;

/** Key of the relay's session advisory lock (a fixed bigint no other code uses). */
export const RELAY_LOCK_KEY = '7308604897068083574';

const relayTokens = new WeakMap<SqlDatabase, object>();

/** One relay per database object within a process (the embedded store serves one process only). */
export function inProcessRelayLock(db: SqlDatabase): LeaderLock {
  let token = relayTokens.get(db);
  if (!token) relayTokens.set(db, (token = {}));
  return new InProcessLock(token);
}

const SAVE_CHECKPOINT = `
INSERT INTO relay_checkpoints (name, cursor, updated_at) VALUES ($1, $2, now())
ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`;

export interface EventRelayOptions {
  /** One mapper per context; an event no mapper takes is skipped (and the checkpoint still moves). */
  readonly mappers: readonly IntegrationEventMapper[];
  /** Names the checkpoint (default `integration-events`). */
  readonly name?: string;
  /**
   * Only the holder publishes; other replicas wait on standby (PostgresAdvisoryLock with
   * RELAY_LOCK_KEY on PostgreSQL). Default: one relay per database object in this process.
   */
  readonly lock?: LeaderLock;
  /** Counts events behind the head for the lag figure; default reads ahead up to 10,000. */
  readonly backlog?: BacklogProbe;
  readonly batchSize?: number;
  readonly lagIntervalMs?: number;
  readonly standbyRetryMs?: number;
  readonly metrics?: MessagingMetrics;
  readonly log?: MessagingLog;
}

export interface RelayStatus {
  readonly role: 'stopped' | 'standby' | 'active';
  readonly cursor: Cursor | null;
  /** Committed events not yet published, as of `lagMeasuredAt`. */
  readonly lag: number | null;
  readonly lagMeasuredAt: string | null;
  readonly published: number;
  readonly lastPublishedAt: string | null;
  /** The last failure (Kafka away, a mapper throwing); cleared by the next batch that goes through. */
  readonly error: string | null;
}

/**
 * Publishes integration events from the store's global order, at least once and in order: a batch
 * is mapped, published and acknowledged by the bus, and only then is the checkpoint committed
 * (asynchronously). A crash between the two, or a database crash that loses the last checkpoint
 * commits, publishes those batches again; consumers dedupe by event id. While the bus
 * is away the subscription backs off (up to 5 s) and the store keeps taking writes.
 */
export class EventRelay {
  private readonly name: string;
  private readonly lock: LeaderLock;
  private readonly backlog: BacklogProbe;
  private readonly log: MessagingLog;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeLoop: () => void = () => undefined;
  private subscription: CatchUpSubscription | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private state: { -readonly [K in keyof RelayStatus]: RelayStatus[K] } = {
    role: 'stopped',
    cursor: null,
    lag: null,
    lagMeasuredAt: null,
    published: 0,
    lastPublishedAt: null,
    error: null,
  };

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly bus: MessageBus,
    private readonly options: EventRelayOptions,
  ) {
    this.name = options.name ?? 'integration-events';
    this.lock = options.lock ?? inProcessRelayLock(db);
    this.backlog = options.backlog ?? readAheadBacklog(store);
    this.log = options.log ?? silentLog;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.db.exec(SCHEMA);
    this.running = true;
    this.loop = this.run();
    this.lagTimer = setInterval(() => void this.measureLag(), this.options.lagIntervalMs ?? 5000);
    this.lagTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.wakeLoop();
    await this.loop;
    this.loop = null;
  }

  status(): RelayStatus {
    return { ...this.state, cursor: this.subscription?.position ?? this.state.cursor };
  }

  /** Measures how far the relay is behind the store head, updating the status and the gauge. */
  async measureLag(): Promise<number | null> {
    try {
      const cursor = this.subscription?.position ?? (await this.checkpoint());
      const lag = await this.backlog(cursor);
      this.state.lag = lag;
      this.state.lagMeasuredAt = new Date().toISOString();
      this.options.metrics?.relayLag.set(lag);
      return lag;
    } catch {
      return null; // the store is away; /health reports that on its own
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let held: HeldLock | null = null;
      try {
        held = await this.lock.tryAcquire();
      } catch (error) {
        this.state.error = `cannot take the relay lock: ${message(error)}`;
      }
      if (!held) {
        this.setRole('standby');
        await this.sleep(this.options.standbyRetryMs ?? 5000);
        continue;
      }
      if (!this.running) {
        await held.release().catch(() => undefined);
        break;
      }
      this.setRole('active');
      this.log('info', 'relay active', { relay: this.name });
      const subscription = new CatchUpSubscription(this.store, {
        from: () => this.checkpoint(),
        handle: (batch) => this.relay(batch),
        batchSize: this.options.batchSize ?? 500,
        onError: (error) => {
          this.state.error = message(error);
          this.log('warn', 'relay batch failed; retrying with back-off', { relay: this.name, error: message(error) });
        },
      });
      this.subscription = subscription;
      subscription.start();
      const stopped = new Promise<boolean>((resolve) => (this.wakeLoop = () => resolve(false)));
      const lockLost = await Promise.race([held.lost.then(() => true), stopped]);
      await subscription.stop();
      this.state.cursor = subscription.position ?? this.state.cursor;
      this.subscription = null;
      await held.release().catch(() => undefined);
      if (lockLost && this.running) {
        this.log('warn', 'relay lost its lock; back on standby', { relay: this.name });
        this.setRole('standby');
      }
    }
    this.setRole('stopped');
  }

  private async relay(batch: readonly RecordedEvent[]): Promise<void> {
    const messages: BusMessage[] = [];
    for (const event of batch) {
      for (const mapper of this.options.mappers) {
        const integration = mapper(event);
        if (integration) messages.push(encodeIntegrationEvent(integration));
      }
    }
    if (messages.length > 0) await this.bus.publish(messages);
    // Not durable: a checkpoint lost to a database crash only means this batch is published
    // again, which at-least-once delivery allows; no WAL flush needs to slow every batch.
    await this.db.transaction((tx) => tx.query(SAVE_CHECKPOINT, [this.name, batch[batch.length - 1]!.cursor]), { durable: false });
    this.state.error = null;
    if (messages.length > 0) {
      this.state.published += messages.length;
      this.state.lastPublishedAt = new Date().toISOString();
      const perTopic = new Map<string, number>();
      for (const m of messages) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
      for (const [topic, count] of perTopic) this.options.metrics?.relayPublished.inc({ topic }, count);
    }
  }

  private async checkpoint(): Promise<Cursor> {
    const rows = await this.db.query<{ cursor: string }>('SELECT cursor FROM relay_checkpoints WHERE name = $1', [this.name]);
    return rows[0]?.cursor ?? START;
  }

  private setRole(role: RelayStatus['role']): void {
    this.state.role = role;
    this.options.metrics?.relayActive.set(role === 'active' ? 1 : 0);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
