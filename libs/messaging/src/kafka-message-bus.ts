import type { Admin, Consumer, IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type {
  BusMessage,
  BusSubscription,
  DrainOptions,
  MessageBus,
  MessagingLog,
  ReceivedMessage,
  SubscribeOptions,
} from './message-bus.js';
import { MAX_HANDLE_BATCH, silentLog } from './message-bus.js';

export interface KafkaBusOptions {
  /** Prefixed to every topic and group name, so environments can share a cluster. */
  readonly topicPrefix?: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** How long the brokers may take to acknowledge a publish (acks=all). */
  readonly ackTimeoutMs?: number;
  readonly log?: MessagingLog;
}

/**
 * kafkajs behind the MessageBus port. Publishing uses one idempotent producer (acks=all, one
 * request in flight) and sends one batch at a time: kafkajs' idempotent producer breaks its
 * sequence numbers under concurrent sends. A failed send discards the producer, so the next
 * publish starts a fresh producer id instead of fighting stale sequences; what the failed send
 * may have written arrives twice, and consumers dedupe.
 */
export class KafkaMessageBus implements MessageBus {
  readonly kind = 'kafka' as const;
  private producer: Producer | null = null;
  private sending: Promise<unknown> = Promise.resolve();
  private draining: Promise<unknown> = Promise.resolve();
  private admin: Admin | null = null;
  private readonly subscriptions = new Set<KafkaGroupSubscription>();
  private readonly log: MessagingLog;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBusOptions = {},
  ) {
    this.log = options.log ?? silentLog;
  }

  /** The name on the cluster of a logical topic or group. */
  name(topicOrGroup: string): string {
    return `${this.options.topicPrefix ?? ''}${topicOrGroup}`;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics.map((t) => this.name(t)))].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.options.partitions ?? 3,
        replicationFactor: this.options.replicationFactor ?? 1,
      })),
    });
    this.log('info', 'created Kafka topics', { topics: missing });
  }

  publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const sent = this.sending.then(() => this.send(messages));
    this.sending = sent.catch(() => undefined);
    return sent;
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    const subscription = new KafkaGroupSubscription(this.kafka, options, (t) => this.name(t), this.options.topicPrefix ?? '', this.log);
    await subscription.start();
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /**
   * Reads `topic` up to the end offsets seen at the start, committing each handled message for the
   * group, then leaves the group. Returns at once when the group is already at the end. Drains of
   * one process run one after the other: two members of the group would split its partitions.
   */
  drain(options: DrainOptions): Promise<number> {
    const drained = this.draining.then(() => this.drainNow(options));
    this.draining = drained.catch(() => undefined);
    return drained;
  }

  private async drainNow(options: DrainOptions): Promise<number> {
    const admin = await this.connectedAdmin();
    const topic = this.name(options.topic);
    const groupId = this.name(options.group);
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { high: BigInt(p.high), low: BigInt(p.low) }]));
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const pending = new Set<number>();
    for (const { partition, offset } of committed?.partitions ?? []) {
      const end = ends.get(partition);
      if (end && (BigInt(offset) < 0n ? end.low : BigInt(offset)) < end.high) pending.add(partition);
    }
    if (pending.size === 0 || options.limit <= 0) return 0;

    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
    let handled = 0;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const timer = setTimeout(finish, 60_000);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const offset = BigInt(message.offset);
          if (!pending.has(partition) || handled >= options.limit || offset >= ends.get(partition)!.high) {
            pending.delete(partition);
            if (pending.size === 0 || handled >= options.limit) finish();
            return;
          }
          await options.handle(received(options.topic, partition, message.offset, message.key, message.value, message.headers));
          handled += 1;
          await consumer.commitOffsets([{ topic, partition, offset: (offset + 1n).toString() }]);
          if (offset + 1n >= ends.get(partition)!.high) pending.delete(partition);
          if (pending.size === 0 || handled >= options.limit) finish();
        },
      });
      await finished;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
    }
    return handled;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await this.sending;
    await this.dropProducer();
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  private async send(messages: readonly BusMessage[]): Promise<void> {
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      const topic = this.name(m.topic);
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push({ key: m.key, value: m.value, headers: { ...m.headers } });
    }
    try {
      await producer.sendBatch({
        acks: -1,
        timeout: this.options.ackTimeoutMs ?? 10_000,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    } catch (error) {
      await this.dropProducer();
      throw error;
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, so a publish fails while the brokers are away and the caller backs off and retries.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }
}

/** One consumer group member; recreated after a crash kafkajs itself will not restart from. */
class KafkaGroupSubscription {
  private consumer: Consumer | null = null;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SubscribeOptions,
    private readonly name: (topicOrGroup: string) => string,
    private readonly prefix: string,
    private readonly log: MessagingLog,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.name(this.options.group),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1000,
      // A member lost with a broker restart holds up the group's next rebalance until its session
      // expires: 10 s instead of kafkajs' 30 s bounds that wait.
      sessionTimeout: 10_000,
      heartbeatInterval: 2000,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.log('error', 'Kafka consumer crashed; recreating it', { group: this.options.group, error: payload.error.message });
      this.scheduleRestart(consumer);
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.options.onLag?.(payload.topic.slice(this.prefix.length), payload.partition, Number(payload.offsetLag));
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics.map((t) => this.name(t)), fromBeginning: this.options.fromBeginning ?? true });
    const topicOf = (name: string) => name.slice(this.prefix.length);
    const handleBatch = this.options.handleBatch;
    if (!handleBatch) {
      await consumer.run({
        partitionsConsumedConcurrently: this.options.concurrency ?? 1,
        eachMessage: async ({ topic, partition, message }) => {
          await this.options.handle(received(topicOf(topic), partition, message.offset, message.key, message.value, message.headers));
        },
      });
      return;
    }
    await consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const topic = topicOf(batch.topic);
        for (let i = 0; i < batch.messages.length; i += MAX_HANDLE_BATCH) {
          if (!payload.isRunning() || payload.isStale()) return;
          const chunk = batch.messages.slice(i, i + MAX_HANDLE_BATCH);
          await handleBatch(chunk.map((m) => received(topic, batch.partition, m.offset, m.key, m.value, m.headers)));
          payload.resolveOffset(chunk[chunk.length - 1]!.offset);
          await payload.heartbeat();
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = null;
  }

  private scheduleRestart(crashed: Consumer, delayMs = 2000): void {
    this.restartTimer = setTimeout(() => {
      void (async () => {
        await crashed.disconnect().catch(() => undefined);
        if (this.stopped) return;
        try {
          await this.start();
        } catch (error) {
          this.log('warn', 'Kafka consumer could not restart; trying again', { group: this.options.group, error: String(error) });
          const failed = this.consumer;
          if (failed) this.scheduleRestart(failed, Math.min(delayMs * 2, 30_000));
        }
      })();
    }, delayMs);
  }
}

function received(
  topic: string,
  partition: number,
  offset: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders | undefined,
): ReceivedMessage {
  return { topic, partition, offset, key: key === null ? null : key.toString('utf8'), value, headers: headerStrings(headers) };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}
