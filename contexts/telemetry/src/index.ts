import type { IntegrationEventMapper } from '#contracts';
import { telemetryEventsV1 } from '#contracts';

export { TelemetryModule, telemetryContext } from './telemetry.module.js';
export { type TelemetrySettings, readTelemetrySettings } from './telemetry.settings.js';

/** CdEventRecorded → the v1 integration events of docs/events.md (the mapping lives with the contract). */
export const telemetryIntegrationEvents: IntegrationEventMapper = telemetryEventsV1;
