import { accessControlEventsV1 } from './access-control.v1.js';
import type { IntegrationEventMapper } from './integration-event.js';
import { telemetryEventsV1 } from './telemetry.v1.js';

/** Every context's mapper, one each: what the relay publishes. Add a context's mapper here. */
export const INTEGRATION_EVENT_MAPPERS: readonly IntegrationEventMapper[] = [accessControlEventsV1, telemetryEventsV1];
