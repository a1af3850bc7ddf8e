import type { EventStore } from '#kernel';
import type { HealthCheck, SqlDatabase, StoreKind } from '#event-store';
import { LEADER_LOCK_KEYS } from '#event-store';
import { PostgresAdvisoryLock } from '#event-store/adapters';
import { EventRelay, inProcessRelayLock } from './event-relay.js';
import type { ConsumerSpec } from './integration-event-consumer.js';
import type { IntegrationEventDeclaration } from './integration-event-registry.js';
import { IntegrationEventRegistry } from './integration-event-registry.js';
import { IntegrationEventConsumer } from './integration-event-consumer.js';
import type { MessageBus, MessagingLog } from './message-bus.js';
import { silentLog } from './message-bus.js';
import type { MessagingMetrics } from './messaging-metrics.js';
import { readAheadBacklog, sqlStoreBacklog } from './store-backlog.js';

export interface MessagingOptions {
  /**
   * Runs the relay in this app, publishing what the contexts' declarations (`mappers`, one per
   * context, each exported by its context's index.ts) take from the store; two declarations of one
   * domain event type fail here, at startup. Any number of replicas may run it: on PostgreSQL an
   * advisory lock keeps exactly one active, the others on standby.
   */
  readonly relay?: { readonly mappers: readonly IntegrationEventDeclaration[] };
  /** Consumers this app runs from the start; contexts may add more with `consume`. */
  readonly consumers?: readonly ConsumerSpec[];
}

export interface MessagingDeps {
  readonly bus: MessageBus;
  readonly store: EventStore;
  readonly db: SqlDatabase;
  /** Where the store lives: the relay's lock and backlog probe depend on it. */
  readonly config: { readonly store: StoreKind; readonly databaseUrl: string | null };
  readonly metrics: MessagingMetrics;
  readonly log?: MessagingLog;
}

/** An app's messaging: creates the topics it publishes to, runs its relay and consumers, and reports on them. */
export class MessagingRuntime {
  readonly relay: EventRelay | null;
  /** What the relay publishes; null when this app runs no relay. */
  readonly integrationEvents: IntegrationEventRegistry | null;
  private readonly consumers: IntegrationEventConsumer[] = [];
  private started = false;
  private readonly log: MessagingLog;

  constructor(
    private readonly deps: MessagingDeps,
    options: MessagingOptions = {},
  ) {
    this.log = deps.log ?? silentLog;
    const { config, db, store } = deps;
    // An app started without Kafka against a shared database must neither move the Kafka relay's
    // checkpoint nor take its lock: the in-process bus has a checkpoint of its own.
    const onKafka = deps.bus.kind === 'kafka';
    this.integrationEvents = options.relay ? new IntegrationEventRegistry(options.relay.mappers) : null;
    this.relay = this.integrationEvents
      ? new EventRelay(store, db, deps.bus, {
          name: onKafka ? 'integration-events' : 'integration-events.in-process',
          registry: this.integrationEvents,
          lock:
            onKafka && config.databaseUrl && db.kind === 'postgres'
              ? new PostgresAdvisoryLock(config.databaseUrl, {
                  key: LEADER_LOCK_KEYS.integrationEventRelay,
                  applicationName: 'integration-event-relay',
                })
              : inProcessRelayLock(db),
          backlog: config.store === 'kurrentdb' ? readAheadBacklog(store) : sqlStoreBacklog(db),
          metrics: deps.metrics,
          log: this.log,
        })
      : null;
    for (const spec of options.consumers ?? []) this.consumers.push(this.consumer(spec));
  }

  get bus(): MessageBus {
    return this.deps.bus;
  }

  async start(): Promise<void> {
    // Only the topics of the contexts this relay publishes for (and their dead letters): a context
    // that publishes nothing yet gets no topic; consumers create the topics they read.
    if (this.integrationEvents) await this.deps.bus.ensureTopics(this.integrationEvents.topics);
    for (const consumer of this.consumers) await consumer.start();
    await this.relay?.start();
    this.started = true;
  }

  /** Adds a consumer, started at once if messaging already runs. */
  async consume(spec: ConsumerSpec): Promise<IntegrationEventConsumer> {
    const consumer = this.consumer(spec);
    this.consumers.push(consumer);
    if (this.started) await consumer.start();
    return consumer;
  }

  /** Relay first (it may be waiting on in-process consumers), then consumers, then the bus. */
  async stop(): Promise<void> {
    this.started = false;
    await this.relay?.stop();
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.deps.bus.close();
  }

  /**
   * Reported in /health; never down: a relay behind or on standby is information, Kafka itself has
   * its own check. Degraded while the relay holds dead-lettered events (with the first one's place).
   */
  healthCheck(): HealthCheck {
    return {
      name: 'messaging',
      check: async () => {
        // A fresh lag figure when the store answers quickly; the periodic one otherwise.
        if (this.relay) await Promise.race([this.relay.measureLag(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
        const deadLettered = this.relay ? await this.relay.quarantine.summary().then((all) => all.get(this.relay!.subscriber)) : undefined;
        return {
          ...(deadLettered
            ? { status: 'degraded' as const, relayDeadLettered: { events: deadLettered.count, first: deadLettered.first } }
            : {}),
          bus: this.deps.bus.kind,
          ...(this.relay ? { relay: this.relay.status() } : {}),
          consumers: this.consumers.map((c) => c.status()),
        };
      },
    };
  }

  private consumer(spec: ConsumerSpec): IntegrationEventConsumer {
    if (this.consumers.some((c) => c.name === spec.name)) throw new Error(`consumer ${spec.name} is registered twice`);
    return new IntegrationEventConsumer(this.deps.bus, this.deps.db, spec, { metrics: this.deps.metrics, log: this.log });
  }
}
