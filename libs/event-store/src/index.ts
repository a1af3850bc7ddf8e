/**
 * The event store's ports and the machinery every subscriber shares: SQL database port, catch-up
 * and leader subscriptions, leader-lock port, startup errors. No Nest. The concrete adapters are
 * in `#event-store/adapters`, which contexts import only in their module files.
 */
export * from './append-notifier.js';
export * from './catch-up-subscription.js';
export * from './checkpoint-store.js';
export * from './disk-reserve.js';
export * from './event-failure.js';
export * from './event-quarantine.js';
export * from './health-check.js';
export * from './leader-lock.js';
export * from './leader-subscription.js';
export * from './sql-database.js';
export * from './startup-error.js';
export * from './store-config.js';
export * from './store-unavailable.js';
