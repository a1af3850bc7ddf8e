import type { BusMessage, BusSubscription, DrainOptions, MessageBus, ReceivedMessage, SubscribeOptions } from './message-bus.js';
import { MAX_HANDLE_BATCH } from './message-bus.js';

interface TopicLog {
  /** Offset of messages[0]; older messages were trimmed. */
  base: number;
  messages: BusMessage[];
}

interface Group {
  readonly name: string;
  readonly topics: readonly string[];
  readonly handle: (message: ReceivedMessage) => Promise<void>;
  readonly handleBatch?: (messages: readonly ReceivedMessage[]) => Promise<void>;
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  running: boolean;
  loop: Promise<void> | null;
  wake: (() => void) | null;
}

export interface InProcessBusOptions {
  /** Messages kept per topic beyond what every subscribed group has handled (oldest dropped first). */
  readonly retain?: number;
  /** Pause before a message whose handler rejected is delivered again. */
  readonly redeliveryMs?: number;
}

/**
 * The bus of the embedded app and of unit tests: one partition per topic, held in memory.
 * Nothing survives a restart, so `publish` resolves only once every group subscribed to a topic
 * has handled the message: a relay that checkpoints after publishing then never loses a message
 * to a restart. Groups that subscribe later read what is still retained, as on Kafka. A group must
 * not publish to a topic it consumes itself from within its handler (it would wait for itself).
 */
export class InProcessMessageBus implements MessageBus {
  readonly kind = 'in-process' as const;
  private readonly logs = new Map<string, TopicLog>();
  /** Committed position (next offset to handle) per group and topic. */
  private readonly positions = new Map<string, Map<string, number>>();
  private readonly groups = new Map<string, Group>();
  private deliveryWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  async ensureTopics(topics: readonly string[]): Promise<void> {
    for (const topic of topics) this.log(topic);
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.closed) throw new Error('the message bus is closed');
    const awaited = new Map<string, number>();
    for (const message of messages) {
      const log = this.log(message.topic);
      log.messages.push({ topic: message.topic, key: message.key, value: message.value, headers: { ...message.headers } });
      awaited.set(message.topic, log.base + log.messages.length);
      this.trim(message.topic);
    }
    for (const group of this.groups.values()) group.wake?.();
    await this.untilDelivered(awaited);
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    if (this.groups.has(options.group)) throw new Error(`group ${options.group} is already consuming in this process`);
    const positions = this.groupPositions(options.group);
    for (const topic of options.topics) {
      const log = this.log(topic);
      if (!positions.has(topic)) positions.set(topic, options.fromBeginning === false ? log.base + log.messages.length : log.base);
    }
    const group: Group = {
      name: options.group,
      topics: [...options.topics],
      handle: options.handle,
      handleBatch: options.handleBatch,
      onLag: options.onLag,
      running: true,
      loop: null,
      wake: null,
    };
    this.groups.set(group.name, group);
    group.loop = this.consume(group);
    return {
      stop: async () => {
        group.running = false;
        group.wake?.();
        await group.loop;
        this.groups.delete(group.name);
        this.notifyDelivery();
      },
    };
  }

  async drain(options: DrainOptions): Promise<number> {
    const positions = this.groupPositions(options.group);
    const log = this.log(options.topic);
    const end = log.base + log.messages.length;
    let handled = 0;
    let next = Math.max(positions.get(options.topic) ?? log.base, log.base);
    while (next < end && handled < options.limit) {
      await options.handle(this.received(options.topic, next));
      next += 1;
      handled += 1;
      positions.set(options.topic, next);
    }
    return handled;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.groups.values()].map(async (g) => {
        g.running = false;
        g.wake?.();
        await g.loop;
      }),
    );
    this.groups.clear();
    this.notifyDelivery();
  }

  /** Messages currently held for `topic` (tests and diagnostics). */
  retained(topic: string): readonly BusMessage[] {
    return [...(this.logs.get(topic)?.messages ?? [])];
  }

  private async consume(group: Group): Promise<void> {
    const positions = this.groupPositions(group.name);
    while (group.running) {
      let pending = false;
      for (const topic of group.topics) {
        const log = this.log(topic);
        const next = Math.max(positions.get(topic) ?? log.base, log.base);
        if (next >= log.base + log.messages.length) continue;
        pending = true;
        const end = group.handleBatch ? Math.min(log.base + log.messages.length, next + MAX_HANDLE_BATCH) : next + 1;
        try {
          if (group.handleBatch) {
            const batch: ReceivedMessage[] = [];
            for (let offset = next; offset < end; offset++) batch.push(this.received(topic, offset));
            await group.handleBatch(batch);
          } else {
            await group.handle(this.received(topic, next));
          }
        } catch {
          if (group.running) await this.pause(group, this.options.redeliveryMs ?? 200);
          continue;
        }
        positions.set(topic, end);
        group.onLag?.(topic, 0, log.base + log.messages.length - end);
        this.notifyDelivery();
      }
      if (!pending && group.running) await this.pause(group, 1000);
    }
  }

  /** Waits until woken (a publish, a stop) or `ms` passed. */
  private pause(group: Group, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        group.wake = null;
        resolve();
      }
      group.wake = done;
    });
  }

  private received(topic: string, offset: number): ReceivedMessage {
    const log = this.log(topic);
    const message = log.messages[offset - log.base]!;
    return { ...message, headers: { ...message.headers }, partition: 0, offset: String(offset) };
  }

  /** Resolves once every running group on each topic has reached the given end offsets. */
  private untilDelivered(ends: ReadonlyMap<string, number>): Promise<void> {
    const delivered = () =>
      this.closed ||
      [...this.groups.values()].every(
        (g) => !g.running || g.topics.every((t) => !ends.has(t) || (this.positions.get(g.name)?.get(t) ?? 0) >= ends.get(t)!),
      );
    return new Promise((resolve) => {
      const waiter = () => (delivered() ? resolve() : void this.deliveryWaiters.push(waiter));
      waiter();
    });
  }

  private notifyDelivery(): void {
    const waiters = this.deliveryWaiters;
    this.deliveryWaiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Keeps the newest `retain` messages of a topic, like a size-bounded Kafka log. */
  private trim(topic: string): void {
    const log = this.log(topic);
    const excess = log.messages.length - (this.options.retain ?? 10_000);
    if (excess > 0) {
      log.messages.splice(0, excess);
      log.base += excess;
    }
  }

  private log(topic: string): TopicLog {
    let log = this.logs.get(topic);
    if (!log) {
      log = { base: 0, messages: [] };
      this.logs.set(topic, log);
    }
    return log;
  }

  private groupPositions(group: string): Map<string, number> {
    let positions = this.positions.get(group);
    if (!positions) {
      positions = new Map();
      this.positions.set(group, positions);
    }
    return positions;
  }
}
