import type { AccessControlEventV1 } from '#contracts';
import { ACCESS_CONTROL_V1 } from '#contracts';
import type { IntegrationEventDeclaration, RecordedOf } from '#messaging';
import { contractFields, integrationEnvelope } from '#messaging';
import type { PrincipalRegistered } from './domain/principal.decider.js';
import type { ProjectCreated } from './domain/project.decider.js';
import type { RoleGranted, RoleRevoked } from './domain/role-grant.decider.js';

/** The domain events Access Control publishes; every other one (tokens, settings) stays internal. */
type PublishedEvent = ProjectCreated | PrincipalRegistered | RoleGranted | RoleRevoked;

const CONTEXT = 'access-control';

/**
 * Access Control's domain events → its v1 integration events on `access-control.events.v1`
 * (docs/events.md). Tokens and their hashes stay internal, and so do display names and free-text
 * reasons: subscribers get ids and roles, and read the rest through the API where they may.
 */
function toIntegrationEvent(event: RecordedOf<PublishedEvent>): AccessControlEventV1 {
  switch (event.type) {
    case 'ProjectCreated': {
      const d = contractFields(event);
      return {
        ...integrationEnvelope(event, CONTEXT, ACCESS_CONTROL_V1.projectCreated),
        data: { projectId: d.text('projectId'), name: d.text('name') },
      };
    }
    case 'PrincipalRegistered': {
      const d = contractFields(event);
      return {
        ...integrationEnvelope(event, CONTEXT, ACCESS_CONTROL_V1.principalRegistered),
        data: { principalId: d.text('principalId'), kind: d.text('kind') },
      };
    }
    case 'RoleGranted': {
      const d = contractFields(event);
      return {
        ...integrationEnvelope(event, CONTEXT, ACCESS_CONTROL_V1.roleGranted),
        data: {
          grantId: d.text('grantId'),
          principalId: d.text('principalId'),
          role: d.text('role'),
          project: d.text('project'),
          grantedBy: d.text('grantedBy'),
          expiresAt: d.optionalText('expiresAt'),
        },
      };
    }
    case 'RoleRevoked': {
      const d = contractFields(event);
      return {
        ...integrationEnvelope(event, CONTEXT, ACCESS_CONTROL_V1.roleRevoked),
        data: {
          grantId: d.text('grantId'),
          principalId: d.text('principalId'),
          role: d.text('role'),
          project: d.text('project'),
          revokedBy: d.text('revokedBy'),
        },
      };
    }
  }
}

/** What the relay publishes for Access Control. */
export const accessControlIntegrationEvents: IntegrationEventDeclaration<PublishedEvent> = {
  context: CONTEXT,
  eventTypes: ['ProjectCreated', 'PrincipalRegistered', 'RoleGranted', 'RoleRevoked'],
  map: toIntegrationEvent,
};
