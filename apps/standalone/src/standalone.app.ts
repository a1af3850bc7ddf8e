import type { AppSpec } from '#platform';
import { EVERY_CONTEXTS_INTEGRATION_EVENTS } from '../../integration-events.js';
import { accessControlContext } from '../../../contexts/access-control/src/index.js';
import { auditContext } from '../../../contexts/audit/src/index.js';
import { telemetryContext } from '../../../contexts/telemetry/src/index.js';

/** Every context in one process, on the embedded store by default: `npm start`. It seals and relays too. */
export const standaloneApp: AppSpec = {
  name: 'compliance-ledger',
  title: 'compliance-ledger',
  description:
    'Event-sourced compliance audit backend for CI/CD. Every route but /health, /docs and /docs-json needs `Authorization: Bearer <token>`; errors are RFC 9457 application/problem+json.',
  contexts: [accessControlContext, telemetryContext, auditContext({ missingKey: 'generate' })],
  roles: { sealer: true, relay: { publish: EVERY_CONTEXTS_INTEGRATION_EVENTS } },
};
