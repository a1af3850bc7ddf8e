export { TelemetryModule, telemetryContext } from './telemetry.module.js';
export { type TelemetrySettings, readTelemetrySettings } from './telemetry.settings.js';
export { telemetryIntegrationEvents } from './telemetry.integration-events.js';
