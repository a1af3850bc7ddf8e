import { Conflict, Forbidden, Invalid, NotFound } from '#kernel';
import { deciderSpec } from '#testing';
import type { PrincipalEvent } from './principal.decider.js';
import { principalDecider } from './principal.decider.js';
import type { ProjectSettings } from './project-settings.js';
import { DEFAULT_PROJECT_SETTINGS } from './project-settings.js';
import type { ProjectEvent } from './project.decider.js';
import { projectDecider } from './project.decider.js';
import type { RoleGrantCommand, RoleGranted, RoleGrantEvent } from './role-grant.decider.js';
import { roleGrantDecider } from './role-grant.decider.js';

const now = '2026-06-01T10:00:00.000Z';
const registered: PrincipalEvent = { type: 'PrincipalRegistered', data: { principalId: 'ci', kind: 'pipeline', displayName: 'CI' } };
const issued: PrincipalEvent = { type: 'TokenIssued', data: { principalId: 'ci', tokenId: 't1', tokenHash: 'h', expiresAt: null } };

describe('project decider', () => {
  const spec = deciderSpec(projectDecider);
  it('creates a project once', () => {
    spec.given([]).when({ type: 'CreateProject', projectId: 'shop', name: 'Shop' }).then([{ type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } }]);
    spec.given([{ type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } }]).when({ type: 'CreateProject', projectId: 'shop', name: 'x' }).thenThrows(Conflict);
  });
});

describe('principal decider', () => {
  const spec = deciderSpec(principalDecider);
  it('registers a principal once', () => {
    spec.given([]).when({ type: 'RegisterPrincipal', principalId: 'ci', kind: 'pipeline', displayName: 'CI' }).then([registered]);
    spec.given([registered]).when({ type: 'RegisterPrincipal', principalId: 'ci', kind: 'user', displayName: 'CI' }).thenThrows(Conflict);
  });

  it('issues tokens only to known principals and only with a future expiry', () => {
    spec.given([]).when({ type: 'IssueToken', tokenId: 't1', tokenHash: 'h', expiresAt: null, now }).thenThrows(NotFound);
    spec.given([registered]).when({ type: 'IssueToken', tokenId: 't1', tokenHash: 'h', expiresAt: null, now }).then([issued]);
    spec.given([registered]).when({ type: 'IssueToken', tokenId: 't2', tokenHash: 'h', expiresAt: '2026-05-01T00:00:00.000Z', now }).thenThrows(Invalid);
  });

  it('revokes a token once and ignores a second revocation', () => {
    const revoked: PrincipalEvent = { type: 'TokenRevoked', data: { principalId: 'ci', tokenId: 't1' } };
    spec.given([registered, issued]).when({ type: 'RevokeToken', tokenId: 't1' }).then([revoked]);
    spec.given([registered, issued, revoked]).when({ type: 'RevokeToken', tokenId: 't1' }).then([]);
    spec.given([registered]).when({ type: 'RevokeToken', tokenId: 'nope' }).thenThrows(NotFound);
    spec.given([registered, issued, revoked]).when({ type: 'IssueToken', tokenId: 't3', tokenHash: 'h3', expiresAt: null, now }).thenState((s) => {
      expect(s.status === 'Active' && s.tokens['t1']?.revoked).toBe(true);
      expect(s.status === 'Active' && s.tokens['t3']?.revoked).toBe(false);
    });
  });
});

describe('role grant decider', () => {
  const spec = deciderSpec(roleGrantDecider);
  const grant: RoleGrantCommand = {
    type: 'GrantRole', grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'joined team', grantedBy: 'alice', expiresAt: null, now,
  };
  const granted: RoleGranted = {
    type: 'RoleGranted',
    data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'joined team', grantedBy: 'alice', expiresAt: null },
  };

  it('records who granted which role where and why', () => {
    spec.given([]).when(grant).then([granted]);
  });

  it('forbids granting a role to oneself, naming the rule', () => {
    spec.given([]).when({ ...grant, grantedBy: 'bob' }).thenThrows(Forbidden, /themselves/);
  });

  it('refuses an expiry in the past', () => {
    spec.given([]).when({ ...grant, expiresAt: '2020-01-01T00:00:00.000Z' }).thenThrows(Invalid);
  });

  it('decides nothing for the same grant again, and refuses another grant on its stream', () => {
    spec.given([granted]).when({ ...grant, reason: 'asked twice', grantedBy: 'carol' }).then([]);
    spec.given([granted]).when({ ...grant, expiresAt: '2027-01-01T00:00:00.000Z' }).thenThrows(Conflict);
    spec.given([granted]).when({ ...grant, role: 'qa' }).thenThrows(Conflict);
    const revoked: RoleGrantEvent = { type: 'RoleRevoked', data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'left', revokedBy: 'alice' } };
    spec.given([granted, revoked]).when(grant).thenThrows(Conflict);
  });

  it('revokes once', () => {
    spec.given([granted]).when({ type: 'RevokeRoleGrant', reason: 'left', revokedBy: 'alice' }).then([
      { type: 'RoleRevoked', data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'left', revokedBy: 'alice' } },
    ]);
    spec
      .given([granted, { type: 'RoleRevoked', data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'left', revokedBy: 'alice' } }])
      .when({ type: 'RevokeRoleGrant', reason: 'again', revokedBy: 'alice' })
      .thenThrows(Conflict);
    spec.given([]).when({ type: 'RevokeRoleGrant', reason: 'x', revokedBy: 'alice' }).thenThrows(NotFound);
  });
});

describe('project decider: settings', () => {
  const spec = deciderSpec(projectDecider);
  const created: ProjectEvent = { type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } };
  const settings: ProjectSettings = { ...DEFAULT_PROJECT_SETTINGS, environments: ['dev', 'live'], productionEnvironments: ['live'] };

  it('records a change of settings as the whole new document', () => {
    spec.given([created]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings }).then([{ type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings } }]);
  });

  it('records nothing when the settings do not change', () => {
    spec.given([created, { type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings } }]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings }).then([]);
    spec.given([created]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings: DEFAULT_PROJECT_SETTINGS }).then([]);
  });

  it('refuses settings of a missing project, and inconsistent ones, naming each field', () => {
    spec.given([]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings }).thenThrows(NotFound);
    const key = { keyId: 'k', algorithm: 'ed25519' as const, publicKey: 'pem' };
    const bad: ProjectSettings = {
      ...settings,
      environments: ['dev', 'dev'],
      productionEnvironments: ['prod'],
      trustedKeys: [key, key],
      approvalPolicies: [{ action: 'deployment.approve', environment: 'qa', rules: [{ role: 'qa', count: 1 }] }],
    };
    let error: Invalid | undefined;
    try {
      projectDecider.decide({ type: 'ChangeProjectSettings', projectId: 'shop', settings: bad }, projectDecider.evolve(projectDecider.initialState(), created));
    } catch (e) {
      error = e as Invalid;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect(error!.errors.map((e) => e.pointer)).toEqual(['/environments', '/productionEnvironments/0', '/trustedKeys/1/keyId', '/approvalPolicies/0/environment']);
  });
});
