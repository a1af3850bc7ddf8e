export * from './clock.js';
export * from './cursor.js';
export * from './decider.js';
export * from './errors.js';
export * from './event-store.js';
export * from './events.js';
export * from './handle-command.js';
export * from './ids.js';
