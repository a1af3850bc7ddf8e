import 'reflect-metadata';
import { PlatformModule, runApp } from '#platform';
import { AccessControlAuthModule } from '../../../contexts/access-control/src/index.js';
import { AuditLogModule } from '../../../contexts/audit/src/index.js';

/**
 * The Audit app for production. It authenticates callers against the read model that the
 * Access Control app keeps in the shared database, runs the audit-log sealer and serves the log's
 * checkpoints, proofs, verification and export; the other audit endpoints are added as they are built.
 */
await runApp({
  name: 'audit',
  title: 'compliance-ledger: Audit',
  description: 'Audit context of compliance-ledger.',
  requiresDatabase: true,
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class AppModule {},
    // The sealer runs here in production (one process per store, by advisory lock), so the key is required.
    imports: [
      AuditLogModule.forRoot({ config, runSealer: true, missingKey: 'refuse', healthChecks }),
      PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: [] }),
      AccessControlAuthModule,
    ],
  }),
});
