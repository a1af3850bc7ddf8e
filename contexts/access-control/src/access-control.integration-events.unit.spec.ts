import { ACCESS_CONTROL_V1, isAccessControlEventV1, TOPICS } from '#contracts';
import type { RecordedEvent } from '#kernel';
import { IntegrationEventRegistry } from '#messaging';
import { accessControlIntegrationEvents } from './access-control.integration-events.js';

/** Through a registry, as the relay publishes them: it offers the declaration only this context's events of its types. */
const registry = new IntegrationEventRegistry([accessControlIntegrationEvents]);
const accessControlEventsV1 = (event: RecordedEvent) => registry.map(event);

function recorded(type: string, data: Record<string, unknown>, metadata: Partial<RecordedEvent['metadata']> = {}): RecordedEvent {
  return {
    position: 7,
    cursor: '100:7',
    eventId: `id-${type}`,
    streamId: 'stream-1',
    streamVersion: 1,
    type,
    data,
    metadata: { actor: 'admin', correlationId: 'c1', occurredAt: '2026-03-01T10:00:00.000Z', context: 'access-control', ...metadata },
    recordedAt: '2026-03-01T10:00:00.010Z',
  };
}

const grant = {
  grantId: 'g1',
  principalId: 'bob',
  role: 'developer',
  project: 'payments',
  reason: 'joins the team',
  grantedBy: 'admin',
  expiresAt: null,
};

describe('Access Control v1 integration events', () => {
  it('maps RoleGranted with the envelope of the domain event, leaving the free-text reason out', () => {
    const event = recorded('RoleGranted', grant, { project: 'payments' });
    expect(accessControlEventsV1(event)).toEqual({
      id: 'id-RoleGranted',
      type: ACCESS_CONTROL_V1.roleGranted,
      source: '/compliance-ledger/access-control',
      subject: 'stream-1',
      time: '2026-03-01T10:00:00.000Z',
      topic: TOPICS['access-control'],
      project: 'payments',
      data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'payments', grantedBy: 'admin', expiresAt: null },
    });
  });

  it('maps ProjectCreated, PrincipalRegistered (without the display name) and RoleRevoked', () => {
    expect(accessControlEventsV1(recorded('ProjectCreated', { projectId: 'payments', name: 'Payments' }))?.data).toEqual({
      projectId: 'payments',
      name: 'Payments',
    });
    const principal = accessControlEventsV1(recorded('PrincipalRegistered', { principalId: 'bob', kind: 'user', displayName: 'Bob B.' }));
    expect(principal).toMatchObject({ type: ACCESS_CONTROL_V1.principalRegistered, data: { principalId: 'bob', kind: 'user' } });
    expect(principal?.data).not.toHaveProperty('displayName');
    const revoked = accessControlEventsV1(recorded('RoleRevoked', { ...grant, revokedBy: 'carol' }));
    expect(revoked).toMatchObject({ type: ACCESS_CONTROL_V1.roleRevoked, data: { grantId: 'g1', revokedBy: 'carol' } });
    expect(revoked && isAccessControlEventV1(revoked)).toBe(true);
  });

  it('maps ProjectSettingsChanged with the whole settings document', () => {
    const settings = { environments: ['dev', 'production'], productionEnvironments: ['production'], trustedKeys: [] };
    const changed = accessControlEventsV1(recorded('ProjectSettingsChanged', { projectId: 'payments', settings }));
    expect(changed).toMatchObject({ type: ACCESS_CONTROL_V1.projectSettingsChanged, data: { projectId: 'payments', settings } });
    expect(() => accessControlEventsV1(recorded('ProjectSettingsChanged', { projectId: 'payments', settings: null }))).toThrow(
      /no settings object/,
    );
  });

  it('keeps token events internal and ignores events of other contexts', () => {
    expect(
      accessControlEventsV1(recorded('TokenIssued', { principalId: 'bob', tokenId: 't', tokenHash: 'abc', expiresAt: null })),
    ).toBeNull();
    expect(accessControlEventsV1(recorded('TokenRevoked', { principalId: 'bob', tokenId: 't' }))).toBeNull();
    expect(accessControlEventsV1(recorded('ProjectCreated', { projectId: 'p', name: 'P' }, { context: 'telemetry' }))).toBeNull();
  });

  it('refuses to publish an event that lacks a field of its contract', () => {
    expect(() => accessControlEventsV1(recorded('RoleGranted', { ...grant, role: undefined }))).toThrow(
      /RoleGranted id-RoleGranted has no string field "role"/,
    );
  });
});
