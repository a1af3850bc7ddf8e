import type { IntegrationEventDeclaration } from '#messaging';
import { accessControlIntegrationEvents } from '../contexts/access-control/src/index.js';
import { telemetryIntegrationEvents } from '../contexts/telemetry/src/index.js';

/**
 * What every context publishes. The relay publishes all of it from whichever app has the relay
 * role (the standalone app, the Access Control app, or apps/relay), whatever contexts that app serves.
 */
export const EVERY_CONTEXTS_INTEGRATION_EVENTS: readonly IntegrationEventDeclaration[] = [
  accessControlIntegrationEvents,
  telemetryIntegrationEvents,
];
