import 'reflect-metadata';
import { PlatformModule, runApp } from '#platform';
import { AccessControlAuthModule } from '../../../contexts/access-control/src/index.js';

/**
 * The Approvals app for production. It authenticates callers against the read model that the
 * Access Control app keeps in the shared database; the
 * context's own endpoints are added to this module as the context is built.
 */
await runApp({
  name: 'approvals',
  title: 'compliance-ledger: Approvals',
  description: 'Approvals context of compliance-ledger.',
  requiresDatabase: true,
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class AppModule {},
    imports: [PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: [] }), AccessControlAuthModule],
  }),
});
