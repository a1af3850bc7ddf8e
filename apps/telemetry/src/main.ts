import 'reflect-metadata';
import { runApp } from '#platform';
import { accessControlAuthentication } from '../../../contexts/access-control/src/index.js';
import { telemetryContext } from '../../../contexts/telemetry/src/index.js';

/**
 * The Telemetry app for production: CDEvents ingest and metrics. It authenticates callers against
 * the read model that the Access Control app keeps in the shared database.
 */
await runApp({
  name: 'telemetry',
  title: 'compliance-ledger: Telemetry',
  description: 'CDEvents ingest (POST /v1/cdevents) and pipeline and DORA metrics of compliance-ledger.',
  requiresDatabase: true,
  contexts: [accessControlAuthentication, telemetryContext],
});
