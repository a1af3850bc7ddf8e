import type { Cursor, EventStore, RecordedEvent } from '#kernel';
import type { LeaderLock, SqlDatabase } from '#event-store';
import { InProcessLock } from '#event-store/adapters';
import { CheckpointStore, LEADER_LOCK_KEYS, LeaderSubscription } from '#event-store';
import { encodeIntegrationEvent } from './cloud-event-binding.js';
import type { BusMessage, MessageBus, MessagingLog } from './message-bus.js';
import { silentLog } from './message-bus.js';
import type { MessagingMetrics } from './messaging-metrics.js';
import type { IntegrationEventRegistry } from './integration-event-registry.js';
import type { BacklogProbe } from './store-backlog.js';
import { readAheadBacklog } from './store-backlog.js';

/** One relay per database object within a process (the embedded store serves one process only). */
export function inProcessRelayLock(db: SqlDatabase): LeaderLock {
  return new InProcessLock(db, LEADER_LOCK_KEYS.integrationEventRelay);
}

export interface EventRelayOptions {
  /**
   * The contexts' declarations of what they publish; an event none takes is skipped (and the
   * checkpoint still moves), and its body is not even read.
   */
  readonly registry: IntegrationEventRegistry;
  /** Names the checkpoint (default `integration-events`). */
  readonly name?: string;
  /**
   * Only the holder publishes; other replicas wait on standby (PostgresAdvisoryLock with
   * LEADER_LOCK_KEYS.integrationEventRelay on PostgreSQL). Default: one relay per database object in this process.
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
  private readonly backlog: BacklogProbe;
  private readonly log: MessagingLog;
  private readonly runner: LeaderSubscription;
  /** Kept in `relay_checkpoints`, the table relays have always used. */
  private readonly checkpoints: CheckpointStore;
  private running = false;
  private lagTimer: NodeJS.Timeout | null = null;
  private state: { -readonly [K in keyof Omit<RelayStatus, 'role' | 'cursor'>]: RelayStatus[K] } = {
    lag: null,
    lagMeasuredAt: null,
    published: 0,
    lastPublishedAt: null,
    error: null,
  };

  constructor(
    store: EventStore,
    private readonly db: SqlDatabase,
    private readonly bus: MessageBus,
    private readonly options: EventRelayOptions,
  ) {
    this.name = options.name ?? 'integration-events';
    this.backlog = options.backlog ?? readAheadBacklog(store);
    this.log = options.log ?? silentLog;
    this.checkpoints = new CheckpointStore(db, 'relay_checkpoints');
    this.runner = new LeaderSubscription(store, {
      lock: options.lock ?? inProcessRelayLock(db),
      from: () => this.checkpoint(),
      handle: (batch) => this.relay(batch),
      onlyDataOf: options.registry.eventTypes,
      batchSize: options.batchSize ?? 500,
      ...(options.standbyRetryMs !== undefined ? { standbyRetryMs: options.standbyRetryMs } : {}),
      onError: (error) => {
        this.state.error = message(error);
        this.log('warn', 'relay batch failed; retrying with back-off', { relay: this.name, error: message(error) });
      },
      onLockError: (error) => (this.state.error = `cannot take the relay lock: ${message(error)}`),
      onRoleChange: (role) => {
        this.options.metrics?.relayActive.set(role === 'active' ? 1 : 0);
        if (role === 'active') this.log('info', 'relay active', { relay: this.name });
        else if (role === 'standby' && this.runner.lockLosses > 0)
          this.log('warn', 'relay lost its lock; back on standby', { relay: this.name });
      },
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.checkpoints.migrate();
    this.running = true;
    this.runner.start();
    this.lagTimer = setInterval(() => void this.measureLag(), this.options.lagIntervalMs ?? 5000);
    this.lagTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.runner.stop();
  }

  status(): RelayStatus {
    const role = this.runner.role;
    return { ...this.state, role: role === 'halted' ? 'stopped' : role, cursor: this.runner.position };
  }

  /** Measures how far the relay is behind the store head, updating the status and the gauge. */
  async measureLag(): Promise<number | null> {
    try {
      const cursor = this.runner.position ?? (await this.checkpoint());
      const lag = await this.backlog(cursor);
      this.state.lag = lag;
      this.state.lagMeasuredAt = new Date().toISOString();
      this.options.metrics?.relayLag.set(lag);
      return lag;
    } catch {
      return null; // the store is away; /health reports that on its own
    }
  }

  private async relay(batch: readonly RecordedEvent[]): Promise<void> {
    const messages: BusMessage[] = [];
    for (const event of batch) {
      const integration = this.options.registry.map(event);
      if (integration) messages.push(encodeIntegrationEvent(integration));
    }
    if (messages.length > 0) await this.bus.publish(messages);
    // Not durable: a checkpoint lost to a database crash only means this batch is published
    // again, which at-least-once delivery allows; no WAL flush needs to slow every batch.
    await this.db.transaction((tx) => this.checkpoints.save(this.name, batch[batch.length - 1]!.cursor, tx), { durable: false });
    this.state.error = null;
    if (messages.length > 0) {
      this.state.published += messages.length;
      this.state.lastPublishedAt = new Date().toISOString();
      const perTopic = new Map<string, number>();
      for (const m of messages) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
      for (const [topic, count] of perTopic) this.options.metrics?.relayPublished.inc({ topic }, count);
    }
  }

  private checkpoint(): Promise<Cursor> {
    return this.checkpoints.load(this.name);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
