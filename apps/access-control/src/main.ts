import 'reflect-metadata';
import { PlatformModule, runApp } from '#platform';
import { accessControlIntegrationEvents, AccessControlModule, accessControlProjections } from '../../../contexts/access-control/src/index.js';
import { telemetryIntegrationEvents } from '../../../contexts/telemetry/src/index.js';

/**
 * Access Control alone, for production: principals, tokens, role grants, decisions. It also runs
 * the relay of every context's integration events to Kafka (one active per store, by advisory lock).
 */
await runApp({
  name: 'access-control',
  title: 'compliance-ledger: Access Control',
  description: 'Principals, API tokens, project-scoped role grants and access decisions.',
  requiresDatabase: true,
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class AccessControlAppModule {},
    imports: [PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: accessControlProjections(), messaging: { relay: { mappers: [accessControlIntegrationEvents, telemetryIntegrationEvents] } } }), AccessControlModule],
  }),
});
