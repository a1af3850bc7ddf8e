import type { IntegrationEvent } from '#contracts';
import { dlqTopic } from '#contracts';
import type { SqlDatabase, SqlExecutor } from '#event-store';
import { decodeIntegrationEvent } from './cloud-event-binding.js';
import { deadLetter } from './dead-letters.js';
import type { BusSubscription, MessageBus, MessagingLog, ReceivedMessage } from './message-bus.js';
import { silentLog } from './message-bus.js';
import type { MessagingMetrics } from './messaging-metrics.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS processed_messages (
  consumer text NOT NULL,
  event_id text NOT NULL,
  topic text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);`;

/** Claims an event for a consumer; no row back means it was handled before. */
const CLAIM = `/* prepared */
INSERT INTO processed_messages (consumer, event_id, topic) VALUES ($1, $2, $3)
ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`;

/** Claims a run of events in one statement; the ids that come back were not handled before. */
const CLAIM_MANY = `/* prepared */
INSERT INTO processed_messages (consumer, event_id, topic)
SELECT $1, claimed.event_id, claimed.topic FROM unnest($2::text[], $3::text[]) AS claimed (event_id, topic)
ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`;

export interface ConsumerSpec {
  /** Consumer group and dedupe scope: `<context>.<purpose>`, e.g. `approvals.access-changes`. */
  readonly name: string;
  readonly topics: readonly string[];
  /**
   * Applies one event's effect through `tx`, the transaction that also records the event as
   * processed: the effect and the dedupe row commit together or not at all.
   */
  readonly handle: (event: IntegrationEvent, tx: SqlExecutor) => Promise<void>;
  /** Failures of one message before it goes to `<topic>.dlq` (default 5). */
  readonly maxAttempts?: number;
  /** First pause between attempts, doubled each time up to 10 s (default 200 ms). */
  readonly retryDelayMs?: number;
  /** A new group starts at the oldest retained message (default) or only at new ones. */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once (order holds within each; default 1). */
  readonly concurrency?: number;
}

export interface ConsumerStatus {
  readonly name: string;
  readonly processed: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly lastError: string | null;
}

/**
 * Consumes integration events idempotently: each event id is applied at most once per consumer
 * (the claim and the effect share a transaction), failures are retried with back-off, and a
 * message that cannot be read, or fails `maxAttempts` times, goes to `<topic>.dlq` with the error
 * and its original headers, after which the consumer moves on. While the database itself is away
 * the message waits instead: an outage is not the message's fault.
 */
export class IntegrationEventConsumer {
  private subscription: BusSubscription | null = null;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();
  private readonly log: MessagingLog;
  private counts = { processed: 0, duplicates: 0, deadLettered: 0 };
  private lastError: string | null = null;

  constructor(
    private readonly bus: MessageBus,
    private readonly db: SqlDatabase,
    private readonly spec: ConsumerSpec,
    private readonly observe: { metrics?: MessagingMetrics; log?: MessagingLog } = {},
  ) {
    this.log = observe.log ?? silentLog;
  }

  get name(): string {
    return this.spec.name;
  }

  async start(): Promise<void> {
    await this.db.exec(SCHEMA);
    await this.bus.ensureTopics([...this.spec.topics, ...this.spec.topics.map(dlqTopic)]);
    this.stopping = false;
    this.subscription = await this.bus.subscribe({
      group: this.spec.name,
      topics: this.spec.topics,
      fromBeginning: this.spec.fromBeginning ?? true,
      concurrency: this.spec.concurrency ?? 1,
      handle: (message) => this.onMessage(message),
      handleBatch: (messages) => this.onBatch(messages),
      onLag: (topic, partition, lag) =>
        this.observe.metrics?.consumerLag.set({ group: this.spec.name, topic, partition: String(partition) }, lag),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.sleepers]) wake();
    await this.subscription?.stop();
    this.subscription = null;
  }

  status(): ConsumerStatus {
    return { name: this.spec.name, ...this.counts, lastError: this.lastError };
  }

  /**
   * A run of messages in one transaction (one commit instead of one per message, and one claim
   * statement: the transaction holds back the event store's readers while it runs, so it is kept
   * short). If any of them cannot be read or fails, it rolls back and each is settled on its own.
   */
  private async onBatch(messages: readonly ReceivedMessage[]): Promise<void> {
    let events: IntegrationEvent[] | null = null;
    try {
      events = messages.map((m) => decodeIntegrationEvent(m));
    } catch {
      // a malformed message among them: settled one by one below
    }
    if (events && events.length > 1 && !this.stopping) {
      try {
        const outcomes = await this.db.transaction(async (tx) => {
          const claimed = await tx.query<{ event_id: string }>(CLAIM_MANY, [
            this.spec.name,
            events.map((e) => e.id),
            messages.map((m) => m.topic),
          ]);
          const unhandled = new Set(claimed.map((r) => r.event_id));
          const fresh: boolean[] = [];
          for (const event of events) {
            const first = unhandled.delete(event.id); // an id twice in one run is handled once
            if (first) await this.spec.handle(event, tx);
            fresh.push(first);
          }
          return fresh;
        });
        for (const fresh of outcomes) this.count(fresh ? 'processed' : 'duplicate');
        return;
      } catch {
        // rolled back as a whole; the per-message path retries, waits or dead-letters
      }
    }
    for (const message of messages) await this.onMessage(message);
  }

  private async apply(tx: SqlExecutor, event: IntegrationEvent, topic: string): Promise<boolean> {
    const claimed = await tx.query(CLAIM, [this.spec.name, event.id, topic]);
    if (claimed.length === 0) return false;
    await this.spec.handle(event, tx);
    return true;
  }

  private async onMessage(message: ReceivedMessage): Promise<void> {
    let event: IntegrationEvent;
    try {
      event = decodeIntegrationEvent(message);
    } catch (error) {
      await this.sendToDeadLetters(message, error, 0);
      return;
    }
    const maxAttempts = this.spec.maxAttempts ?? 5;
    let attempts = 0;
    let delay = this.spec.retryDelayMs ?? 200;
    for (;;) {
      // Rejecting leaves the message uncommitted, so it is delivered again after a restart.
      if (this.stopping) throw new Error(`consumer ${this.spec.name} is stopping`);
      try {
        const fresh = await this.db.transaction((tx) => this.apply(tx, event, message.topic));
        this.count(fresh ? 'processed' : 'duplicate');
        return;
      } catch (error) {
        this.lastError = describe(error);
        if (await this.databaseAnswers()) {
          attempts += 1;
          if (attempts >= maxAttempts) {
            await this.sendToDeadLetters(message, error, attempts);
            return;
          }
          this.observe.metrics?.consumerMessages.inc({ consumer: this.spec.name, outcome: 'retried' });
        }
        await this.pause(delay);
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private async sendToDeadLetters(message: ReceivedMessage, error: unknown, attempts: number): Promise<void> {
    this.lastError = describe(error);
    await this.bus.publish([deadLetter(message, error, this.spec.name, attempts)]);
    this.log('warn', 'message sent to the dead-letter topic', {
      consumer: this.spec.name,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      attempts,
      error: this.lastError,
    });
    this.count('dead-lettered');
  }

  private count(outcome: 'processed' | 'duplicate' | 'dead-lettered'): void {
    if (outcome === 'processed') this.counts.processed += 1;
    else if (outcome === 'duplicate') this.counts.duplicates += 1;
    else this.counts.deadLettered += 1;
    this.observe.metrics?.consumerMessages.inc({ consumer: this.spec.name, outcome });
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
