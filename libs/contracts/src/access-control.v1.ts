import type { IntegrationEvent } from './integration-event.js';

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
  projectSettingsChanged: 'dev.compliance-ledger.access-control.project-settings-changed.v1',
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
/**
 * The whole settings document after a change (environments, trusted public keys, allowed builders,
 * approval policies, …: see API-CONTRACT), so a subscriber needs only the latest one per project.
 * Shaped as `PUT /v1/projects/{id}/settings` takes it; fields may be added in v1, never removed.
 */
export type ProjectSettingsChangedV1 = IntegrationEvent<
  typeof ACCESS_CONTROL_V1.projectSettingsChanged,
  { projectId: string; settings: Record<string, unknown> }
>;
export type AccessControlEventV1 = ProjectCreatedV1 | PrincipalRegisteredV1 | RoleGrantedV1 | RoleRevokedV1 | ProjectSettingsChangedV1;

/** Narrows a received integration event to Access Control's v1 events by its type. */
export function isAccessControlEventV1(event: IntegrationEvent): event is AccessControlEventV1 {
  return (Object.values(ACCESS_CONTROL_V1) as string[]).includes(event.type);
}
