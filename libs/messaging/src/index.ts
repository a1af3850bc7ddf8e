/** The message-bus port, its Kafka and in-process adapters, the relay, idempotent consumers, dead letters and the CloudEvents binding. No Nest. The concrete buses are in `#messaging/adapters`. */
export * from './cloud-event-binding.js';
export * from './dead-letters.js';
export * from './event-relay.js';
export * from './integration-event-consumer.js';
export * from './integration-event-registry.js';
export * from './message-bus.js';
export * from './messaging-metrics.js';
export * from './messaging-runtime.js';
export * from './store-backlog.js';
