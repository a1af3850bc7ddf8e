import 'reflect-metadata';
import { PlatformModule, runApp } from '#platform';
import { accessControlIntegrationEvents, AccessControlAuthModule } from '../../../contexts/access-control/src/index.js';
import { telemetryIntegrationEvents } from '../../../contexts/telemetry/src/index.js';

/**
 * The relay on its own, for deployments that want it apart from the Access Control app (which
 * runs it too): publishes every context's integration events from the store to Kafka. Any number
 * of relays may run; an advisory lock keeps one active and the others on standby. Serves health,
 * metrics (relay lag) and the dead-letter replay endpoint.
 */
await runApp({
  name: 'relay',
  title: 'compliance-ledger: integration-event relay',
  description: 'Publishes integration events from the event store to Kafka.',
  requiresDatabase: true,
  requiresKafka: true,
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class RelayAppModule {},
    imports: [
      PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: [], messaging: { relay: { mappers: [accessControlIntegrationEvents, telemetryIntegrationEvents] } } }),
      AccessControlAuthModule,
    ],
  }),
});
