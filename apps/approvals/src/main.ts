import 'reflect-metadata';
import { runApp } from '#platform';
import { accessControlAuthentication } from '../../../contexts/access-control/src/index.js';

/**
 * The Approvals app for production. It authenticates callers against the read model that the Access
 * Control app keeps in the shared database; the context's own endpoints are added as it is built.
 */
await runApp({
  name: 'approvals',
  title: 'compliance-ledger: Approvals',
  description: 'Approvals context of compliance-ledger.',
  requiresDatabase: true,
  contexts: [accessControlAuthentication],
});
