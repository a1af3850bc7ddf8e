import type { AppSpec } from '#platform';
import { PlatformModule } from '#platform';
import { AccessControlModule, accessControlProjections } from '../../../contexts/access-control/src/index.js';

/** Every context in one process, on the embedded store by default: `npm start`. */
export const standaloneApp: AppSpec = {
  name: 'compliance-ledger',
  title: 'compliance-ledger',
  description:
    'Event-sourced compliance audit backend for CI/CD. Every route but /health, /docs and /docs-json needs `Authorization: Bearer <token>`; errors are RFC 9457 application/problem+json.',
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class StandaloneModule {},
    imports: [PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: [...accessControlProjections()] }), AccessControlModule],
  }),
};
