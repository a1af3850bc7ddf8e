export * from './decider-spec.js';
export * from './in-memory-event-store.js';
export * from './services.js';
export * from './scratch-database.js';
export * from './projection-spec.js';
