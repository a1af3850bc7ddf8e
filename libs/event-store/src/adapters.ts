/** Concrete stores, databases and locks: for module files, apps, tests and benchmarks. */
export * from './in-process-lock.js';
export * from './open-store.js';
export * from './pglite-database.js';
export * from './postgres-advisory-lock.js';
export * from './postgres-database.js';
export * from './sql-event-store.js';
