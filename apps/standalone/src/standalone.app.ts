import type { AppSpec } from '#platform';
import { PlatformModule } from '#platform';
import { accessControlIntegrationEvents, AccessControlModule, accessControlProjections } from '../../../contexts/access-control/src/index.js';
import { AuditLogModule } from '../../../contexts/audit/src/index.js';
import { telemetryIntegrationEvents, TelemetryModule, telemetryProjections } from '../../../contexts/telemetry/src/index.js';

/** Every context in one process, on the embedded store by default: `npm start`. */
export const standaloneApp: AppSpec = {
  name: 'compliance-ledger',
  title: 'compliance-ledger',
  description:
    'Event-sourced compliance audit backend for CI/CD. Every route but /health, /docs and /docs-json needs `Authorization: Bearer <token>`; errors are RFC 9457 application/problem+json.',
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class StandaloneModule {},
    // AuditLogModule first: it adds the sealer's health check before PlatformModule.forRoot reads them.
    imports: [AuditLogModule.forRoot({ config, runSealer: true, missingKey: 'generate', healthChecks }), PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: [...accessControlProjections(), ...telemetryProjections()], messaging: { relay: { mappers: [accessControlIntegrationEvents, telemetryIntegrationEvents] } } }), AccessControlModule, TelemetryModule],
  }),
};
