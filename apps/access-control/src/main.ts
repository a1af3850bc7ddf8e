import 'reflect-metadata';
import { runApp } from '#platform';
import { EVERY_CONTEXTS_INTEGRATION_EVENTS } from '../../integration-events.js';
import { accessControlContext } from '../../../contexts/access-control/src/index.js';

/**
 * Access Control alone, for production: principals, tokens, role grants, decisions. It also runs
 * the relay of every context's integration events to Kafka (one active per store, by advisory lock).
 */
await runApp({
  name: 'access-control',
  title: 'compliance-ledger: Access Control',
  description: 'Principals, API tokens, project-scoped role grants and access decisions.',
  requiresDatabase: true,
  contexts: [accessControlContext],
  roles: { relay: { publish: EVERY_CONTEXTS_INTEGRATION_EVENTS } },
});
