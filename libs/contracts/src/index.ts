export * from './integration-event.js';
export * from './access-control.v1.js';
export * from './telemetry.v1.js';
export * from './artifact-provenance.v1.js';
export * from './approvals.v1.js';
