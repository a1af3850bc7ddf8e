import type { IntegrationEventMapper } from '#contracts';
import { telemetryEventsV1 } from '#contracts';

export { TelemetryModule, telemetryProjections } from './telemetry.module.js';

/** CdEventRecorded → the v1 integration events of docs/events.md (the mapping lives with the contract). */
export const telemetryIntegrationEvents: IntegrationEventMapper = telemetryEventsV1;
