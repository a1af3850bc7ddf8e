export * from './integration-event.js';
