import 'reflect-metadata';
import { runApp } from '#platform';
import { EVERY_CONTEXTS_INTEGRATION_EVENTS } from '../../integration-events.js';
import { accessControlAuthentication } from '../../../contexts/access-control/src/index.js';

/**
 * The relay on its own, for deployments that want it apart from the Access Control app (which
 * runs it too): publishes every context's integration events from the store to Kafka. Any number
 * of relays may run; an advisory lock keeps one active and the others on standby. Serves health,
 * metrics (relay lag) and the dead-letter replay endpoint.
 */
await runApp({
  name: 'relay',
  title: 'compliance-ledger: integration-event relay',
  description: 'Publishes integration events from the event store to Kafka.',
  requiresDatabase: true,
  requiresKafka: true,
  contexts: [accessControlAuthentication],
  roles: { relay: { publish: EVERY_CONTEXTS_INTEGRATION_EVENTS } },
});
