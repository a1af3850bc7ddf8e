import type { RecordedEvent } from '#kernel';
import type { IntegrationEvent, IntegrationEventMapper } from './integration-event.js';
import { envelope } from './integration-event.js';

/**
 * What Access Control publishes on `access-control.events.v1`. Tokens and their hashes stay
 * internal, and so do display names and free-text reasons: subscribers get ids and roles, and read
 * the rest through the API where they may.
 */
export const ACCESS_CONTROL_V1 = {
  projectCreated: 'dev.compliance-ledger.access-control.project-created.v1',
  principalRegistered: 'dev.compliance-ledger.access-control.principal-registered.v1',
  roleGranted: 'dev.compliance-ledger.access-control.role-granted.v1',
  roleRevoked: 'dev.compliance-ledger.access-control.role-revoked.v1',
} as const;

export type ProjectCreatedV1 = IntegrationEvent<typeof ACCESS_CONTROL_V1.projectCreated, { projectId: string; name: string }>;
export type PrincipalRegisteredV1 = IntegrationEvent<typeof ACCESS_CONTROL_V1.principalRegistered, { principalId: string; kind: string }>;
export type RoleGrantedV1 = IntegrationEvent<
  typeof ACCESS_CONTROL_V1.roleGranted,
  { grantId: string; principalId: string; role: string; project: string; grantedBy: string; expiresAt: string | null }
>;
export type RoleRevokedV1 = IntegrationEvent<
  typeof ACCESS_CONTROL_V1.roleRevoked,
  { grantId: string; principalId: string; role: string; project: string; revokedBy: string }
>;
export type AccessControlEventV1 = ProjectCreatedV1 | PrincipalRegisteredV1 | RoleGrantedV1 | RoleRevokedV1;

const CONTEXT = 'access-control';

/** Maps Access Control's domain events to v1 integration events; every other event stays internal. */
export const accessControlEventsV1: IntegrationEventMapper = (event) => {
  if (event.metadata.context !== CONTEXT) return null;
  const d = fields(event);
  switch (event.type) {
    case 'ProjectCreated':
      return { ...envelope(event, CONTEXT, 'project-created'), data: { projectId: d.text('projectId'), name: d.text('name') } };
    case 'PrincipalRegistered':
      return { ...envelope(event, CONTEXT, 'principal-registered'), data: { principalId: d.text('principalId'), kind: d.text('kind') } };
    case 'RoleGranted':
      return {
        ...envelope(event, CONTEXT, 'role-granted'),
        data: {
          grantId: d.text('grantId'),
          principalId: d.text('principalId'),
          role: d.text('role'),
          project: d.text('project'),
          grantedBy: d.text('grantedBy'),
          expiresAt: d.optionalText('expiresAt'),
        },
      };
    case 'RoleRevoked':
      return {
        ...envelope(event, CONTEXT, 'role-revoked'),
        data: {
          grantId: d.text('grantId'),
          principalId: d.text('principalId'),
          role: d.text('role'),
          project: d.text('project'),
          revokedBy: d.text('revokedBy'),
        },
      };
    default:
      return null;
  }
};

/**
 * Typed reads of a domain event's data. A missing field is a broken contract: it throws (the relay
 * then stops at this event and reports it) rather than publish an incomplete event.
 */
function fields(event: RecordedEvent) {
  const data = event.data;
  const broken = (name: string) => new TypeError(`${event.type} ${event.eventId} has no string field "${name}" for its v1 integration event`);
  return {
    text(name: string): string {
      const value = data[name];
      if (typeof value !== 'string') throw broken(name);
      return value;
    },
    optionalText(name: string): string | null {
      const value = data[name];
      if (value === null || value === undefined) return null;
      if (typeof value !== 'string') throw broken(name);
      return value;
    },
  };
}

/** Narrows a received integration event to Access Control's v1 events by its type. */
export function isAccessControlEventV1(event: IntegrationEvent): event is AccessControlEventV1 {
  return (Object.values(ACCESS_CONTROL_V1) as string[]).includes(event.type);
}
