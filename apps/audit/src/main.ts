import 'reflect-metadata';
import { runApp } from '#platform';
import { accessControlAuthentication } from '../../../contexts/access-control/src/index.js';
import { auditContext } from '../../../contexts/audit/src/index.js';

/**
 * The Audit app for production: runs the audit-log sealer (one process per store seals, by
 * advisory lock, so the signing key is required) and serves the log's checkpoints, proofs,
 * verification and export. It authenticates callers against Access Control's read model.
 */
await runApp({
  name: 'audit',
  title: 'compliance-ledger: Audit',
  description: 'Audit context of compliance-ledger.',
  requiresDatabase: true,
  contexts: [accessControlAuthentication, auditContext({ missingKey: 'refuse' })],
  roles: { sealer: true },
});
