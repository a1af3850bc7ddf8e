/** Concrete buses: Kafka (kafkajs) and in-process. For module files, apps, tests and benchmarks. */
export * from './in-process-message-bus.js';
export * from './kafka-connection.js';
export * from './kafka-message-bus.js';
