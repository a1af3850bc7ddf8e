import type { AccessControlEventV1 } from '#contracts';
import { ACCESS_CONTROL_V1 } from '#contracts';
import type { IntegrationEventDeclaration, RecordedOf } from '#messaging';
import { contractFields, integrationEnvelope } from '#messaging';
import type { PrincipalRegistered } from './domain/principal.decider.js';
import type { ProjectCreated, ProjectSettingsChanged } from './domain/project.decider.js';
import type { RoleGranted, RoleRevoked } from './domain/role-grant.decider.js';

/** The domain events Access Control publishes; every other one (tokens, decisions) stays internal. */
type PublishedEvent = ProjectCreated | ProjectSettingsChanged | PrincipalRegistered | RoleGranted | RoleRevoked;

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
    case 'ProjectSettingsChanged':
      return {
        ...integrationEnvelope(event, CONTEXT, ACCESS_CONTROL_V1.projectSettingsChanged),
        data: { projectId: contractFields(event).text('projectId'), settings: settingsOf(event.data.settings) },
      };
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

/** The settings as plain JSON (the event holds nothing else), refusing an event without them. */
function settingsOf(settings: unknown): Record<string, unknown> {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new TypeError('ProjectSettingsChanged has no settings object for its v1 integration event');
  }
  return settings as Record<string, unknown>;
}

/** What the relay publishes for Access Control. */
export const accessControlIntegrationEvents: IntegrationEventDeclaration<PublishedEvent> = {
  context: CONTEXT,
  eventTypes: ['ProjectCreated', 'ProjectSettingsChanged', 'PrincipalRegistered', 'RoleGranted', 'RoleRevoked'],
  map: toIntegrationEvent,
};
