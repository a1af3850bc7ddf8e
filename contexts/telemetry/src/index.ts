export { TelemetryModule, telemetryProjections } from './telemetry.module.js';
export { telemetryIntegrationEvents } from './telemetry.integration-events.js';
