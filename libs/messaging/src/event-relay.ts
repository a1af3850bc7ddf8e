import type { Cursor, EventStore, RecordedEvent } from '#kernel';
import type { LeaderLock, QuarantinedEvent, SqlDatabase } from '#event-store';
import { InProcessLock } from '#event-store/adapters';
import { CheckpointStore, EventQuarantine, LEADER_LOCK_KEYS, LeaderSubscription } from '#event-store';
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
  /** The last failure (Kafka away, the database away); cleared by the next batch that goes through. */
  readonly error: string | null;
  /** Events set aside since this process started because they could not be mapped or encoded (all of them: `quarantined()`). */
  readonly deadLettered: number;
}

export interface RelayReplayResult {
  readonly replayed: number;
  readonly remaining: readonly QuarantinedEvent[];
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
  /** Events no message could be made of: set aside under `relay:<name>`, so the relay goes on. */
  readonly quarantine: EventQuarantine;
  private running = false;
  private lagTimer: NodeJS.Timeout | null = null;
  private state: { -readonly [K in keyof Omit<RelayStatus, 'role' | 'cursor'>]: RelayStatus[K] } = {
    lag: null,
    lagMeasuredAt: null,
    published: 0,
    lastPublishedAt: null,
    error: null,
    deadLettered: 0,
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
    this.quarantine = new EventQuarantine(db);
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
    await this.quarantine.migrate();
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

  /** The name under which this relay's dead-lettered events are kept. */
  get subscriber(): string {
    return `relay:${this.name}`;
  }

  /** The events this relay set aside, oldest first. */
  quarantined(limit = 100): Promise<QuarantinedEvent[]> {
    return this.quarantine.list(this.subscriber, limit);
  }

  /**
   * Maps and publishes the dead-lettered events again (after a fix), oldest first, each removed
   * once the bus acknowledged it; those that still fail stay, with their newest error. They reach
   * the topic after later events of their stream did: consumers dedupe by id, not by order.
   */
  async replayQuarantined(store: EventStore): Promise<RelayReplayResult> {
    return this.quarantine.replay(store, this.subscriber, async (event, entry) => {
      const integration = this.options.registry.map(event);
      if (integration) await this.bus.publish([encodeIntegrationEvent(integration)]);
      return this.db.transaction((tx) => this.quarantine.remove(tx, this.subscriber, entry.cursor));
    });
  }

  private async relay(batch: readonly RecordedEvent[]): Promise<void> {
    const messages: BusMessage[] = [];
    const unmappable: { event: RecordedEvent; error: unknown }[] = [];
    for (const event of batch) {
      // A mapper or the encoding is pure: an event it throws on will always throw, so it is set
      // aside (dead-lettered) rather than retried, and every other event goes out.
      try {
        const integration = this.options.registry.map(event);
        if (integration) messages.push(encodeIntegrationEvent(integration));
      } catch (error) {
        unmappable.push({ event, error });
      }
    }
    if (messages.length > 0) await this.bus.publish(messages);
    // Not durable: a checkpoint lost to a database crash only means this batch is published
    // again, which at-least-once delivery allows; no WAL flush needs to slow every batch.
    await this.db.transaction(
      async (tx) => {
        for (const { event, error } of unmappable) await this.quarantine.add(tx, this.subscriber, event, error);
        await this.checkpoints.save(this.name, batch[batch.length - 1]!.cursor, tx);
      },
      { durable: unmappable.length > 0 },
    );
    for (const { event, error } of unmappable) {
      this.state.deadLettered++;
      this.options.metrics?.relayDeadLettered.inc();
      this.log('error', 'relay could not make a message of an event: dead-lettered it and went on (see GET /v1/admin/relay)', {
        relay: this.name,
        position: event.cursor,
        eventId: event.eventId,
        eventType: event.type,
        error: message(error),
      });
    }
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
