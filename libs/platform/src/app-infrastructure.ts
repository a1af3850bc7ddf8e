import type { HealthCheck } from '#event-store';
import type { Infrastructure } from '#event-store/adapters';
import type { MessageBus } from '#messaging';

/** What an app runs on: the store and database, and the bus (Kafka with KAFKA_BROKERS, else in-process). */
export interface AppInfrastructure extends Infrastructure {
  readonly bus?: MessageBus;
  /** Checks of dependencies opened before Nest starts (Kafka). */
  readonly healthChecks?: readonly HealthCheck[];
}
