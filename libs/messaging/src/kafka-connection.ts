import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { HealthCheck } from '#event-store';
import type { KafkaBusOptions } from './kafka-message-bus.js';
import { KafkaMessageBus } from './kafka-message-bus.js';

/** A connected Kafka admin client, used to fail fast at startup and to probe readiness. */
export class KafkaConnection {
  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    readonly brokers: readonly string[],
  ) {}

  static async connect(brokers: readonly string[], clientId = 'compliance-ledger'): Promise<KafkaConnection> {
    const kafka = new Kafka({
      clientId,
      brokers: [...brokers],
      connectionTimeout: 3000,
      requestTimeout: 5000,
      retry: { retries: 2, initialRetryTime: 200 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.describeCluster();
    return new KafkaConnection(kafka, admin, brokers);
  }

  /** The app's message bus on these brokers (its own producer, consumers and admin client). */
  messageBus(options: KafkaBusOptions = {}): KafkaMessageBus {
    return new KafkaMessageBus(this.kafka, options);
  }

  healthCheck(): HealthCheck {
    return { name: 'kafka', check: async () => void (await this.admin.describeCluster()) };
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
