import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** Prometheus series of the relay and the consumers, registered once per registry. */
export class MessagingMetrics {
  readonly relayLag: Gauge;
  readonly relayActive: Gauge;
  readonly relayPublished: Counter<'topic'>;
  readonly relayDeadLettered: Counter;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly consumerMessages: Counter<'consumer' | 'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.relayLag = new Gauge({
      name: 'ledger_relay_lag_events',
      help: 'Committed events the relay has not yet published (behind the store head)',
      registers,
    });
    this.relayActive = new Gauge({
      name: 'ledger_relay_active',
      help: '1 when this process holds the relay lock and publishes, 0 on standby',
      registers,
    });
    this.relayPublished = new Counter({
      name: 'ledger_relay_published_total',
      help: 'Integration events the relay published, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.relayDeadLettered = new Counter({
      name: 'ledger_relay_dead_lettered_total',
      help: 'Events the relay set aside because no message could be made of them (see GET /v1/admin/relay)',
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'ledger_consumer_lag_messages',
      help: 'Messages of a partition not yet handled by the consumer group, as of its last fetch',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.consumerMessages = new Counter({
      name: 'ledger_consumer_messages_total',
      help: 'Messages handled by consumers, by outcome (processed, duplicate, dead-lettered, retried)',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
  }
}
