import 'reflect-metadata';
import { PlatformModule, runApp } from '#platform';
import { AccessControlAuthModule } from '../../../contexts/access-control/src/index.js';
import { TelemetryModule, telemetryProjections } from '../../../contexts/telemetry/src/index.js';

/**
 * The Telemetry app for production: CDEvents ingest and metrics. It authenticates callers against
 * the read model that the Access Control app keeps in the shared database.
 */
await runApp({
  name: 'telemetry',
  title: 'compliance-ledger: Telemetry',
  description: 'CDEvents ingest (POST /v1/cdevents) and pipeline and DORA metrics of compliance-ledger.',
  requiresDatabase: true,
  module: ({ config, infrastructure, healthChecks }) => ({
    module: class AppModule {},
    imports: [PlatformModule.forRoot({ config, infrastructure, healthChecks, projections: telemetryProjections() }), AccessControlAuthModule, TelemetryModule],
  }),
});
