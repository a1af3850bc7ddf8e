import { Conflict, Forbidden, Invalid, NotFound } from '#kernel';
import { deciderSpec } from '#testing';
import type { PrincipalEvent } from './principal.decider.js';
import { principalDecider } from './principal.decider.js';
import type { ProjectSettings } from './project-settings.js';
import { DEFAULT_PROJECT_SETTINGS } from './project-settings.js';
import type { ProjectEvent } from './project.decider.js';
import { projectDecider } from './project.decider.js';
import type { RoleGrantCommand, RoleGranted, RoleRevoked } from './role-grant.decider.js';
import { roleGrantDecider } from './role-grant.decider.js';

const now = '2026-06-01T10:00:00.000Z';

describe('project decider', () => {
  const spec = deciderSpec(projectDecider);
  const created: ProjectEvent = { type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } };
  const settings: ProjectSettings = { ...DEFAULT_PROJECT_SETTINGS, environments: ['dev', 'live'], productionEnvironments: ['live'] };

  describe('given no project', () => {
    it('creates the project', () => {
      spec
        .given([])
        .when({ type: 'CreateProject', projectId: 'shop', name: 'Shop' })
        .then([{ type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } }]);
    });

    it('refuses settings of a missing project', () => {
      spec.given([]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings }).thenThrows(NotFound);
    });
  });

  describe('given a created project', () => {
    it('refuses to create it again', () => {
      spec.given([created]).when({ type: 'CreateProject', projectId: 'shop', name: 'x' }).thenThrows(Conflict);
    });

    it('records a change of settings as the whole new document', () => {
      spec
        .given([created])
        .when({ type: 'ChangeProjectSettings', projectId: 'shop', settings })
        .then([{ type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings } }]);
    });

    it('records nothing when the settings stay the defaults', () => {
      spec.given([created]).when({ type: 'ChangeProjectSettings', projectId: 'shop', settings: DEFAULT_PROJECT_SETTINGS }).then([]);
    });

    it('refuses inconsistent settings, naming each field', () => {
      const key = { keyId: 'k', algorithm: 'ed25519' as const, publicKey: 'pem' };
      const bad: ProjectSettings = {
        ...settings,
        environments: ['dev', 'dev'],
        productionEnvironments: ['prod'],
        trustedKeys: [key, key],
        approvalPolicies: [{ action: 'deployment.approve', environment: 'qa', rules: [{ role: 'qa', count: 1 }] }],
      };
      spec
        .given([created])
        .when({ type: 'ChangeProjectSettings', projectId: 'shop', settings: bad })
        .thenThrows(Invalid, (error) => {
          expect(error).toBeInstanceOf(Invalid);
          expect(error.errors.map((e) => e.pointer)).toEqual([
            '/environments',
            '/productionEnvironments/0',
            '/trustedKeys/1/keyId',
            '/approvalPolicies/0/environment',
          ]);
        });
    });
  });

  it('refuses gate modes for unknown or repeated environments', () => {
    const bad: ProjectSettings = {
      ...settings,
      gateModes: [
        { environment: 'dev', mode: 'audit' },
        { environment: 'qa', mode: 'audit' },
        { environment: 'dev', mode: 'enforce' },
      ],
    };
    spec
      .given([created])
      .when({ type: 'ChangeProjectSettings', projectId: 'shop', settings: bad })
      .thenThrows(Invalid, (error) => {
        expect(error.errors).toEqual([
          { pointer: '/gateModes/1/environment', message: '"qa" is not one of environments' },
          { pointer: '/gateModes/2/environment', message: '"dev" is listed twice' },
        ]);
      });
  });

  it('reads settings recorded before a field existed at its default', () => {
    const { gateModes: _g, allowedIdentities: _a, ...older } = settings;
    spec
      .given([created, { type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings: older as ProjectSettings } }])
      .when({ type: 'ChangeProjectSettings', projectId: 'shop', settings })
      .then([]);
  });

  describe('given changed settings', () => {
    it('records nothing when the settings do not change', () => {
      spec
        .given([created, { type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings } }])
        .when({ type: 'ChangeProjectSettings', projectId: 'shop', settings })
        .then([]);
    });
  });
});

describe('principal decider', () => {
  const spec = deciderSpec(principalDecider);
  const registered: PrincipalEvent = { type: 'PrincipalRegistered', data: { principalId: 'ci', kind: 'pipeline', displayName: 'CI' } };
  const issued: PrincipalEvent = { type: 'TokenIssued', data: { principalId: 'ci', tokenId: 't1', tokenHash: 'h', expiresAt: null } };
  const revoked: PrincipalEvent = { type: 'TokenRevoked', data: { principalId: 'ci', tokenId: 't1' } };

  describe('given no principal', () => {
    it('registers the principal', () => {
      spec.given([]).when({ type: 'RegisterPrincipal', principalId: 'ci', kind: 'pipeline', displayName: 'CI' }).then([registered]);
    });

    it('issues no token to an unknown principal', () => {
      spec.given([]).when({ type: 'IssueToken', tokenId: 't1', tokenHash: 'h', expiresAt: null, now }).thenThrows(NotFound);
    });
  });

  describe('given a registered principal', () => {
    it('refuses to register it again', () => {
      spec.given([registered]).when({ type: 'RegisterPrincipal', principalId: 'ci', kind: 'user', displayName: 'CI' }).thenThrows(Conflict);
    });

    it('issues a token', () => {
      spec.given([registered]).when({ type: 'IssueToken', tokenId: 't1', tokenHash: 'h', expiresAt: null, now }).then([issued]);
    });

    it('issues a token only with a future expiry', () => {
      spec
        .given([registered])
        .when({ type: 'IssueToken', tokenId: 't2', tokenHash: 'h', expiresAt: '2026-05-01T00:00:00.000Z', now })
        .thenThrows(Invalid);
    });

    it('refuses to revoke a token it does not have', () => {
      spec.given([registered]).when({ type: 'RevokeToken', tokenId: 'nope' }).thenThrows(NotFound);
    });
  });

  describe('given an issued token', () => {
    it('revokes the token', () => {
      spec.given([registered, issued]).when({ type: 'RevokeToken', tokenId: 't1' }).then([revoked]);
    });
  });

  describe('given a revoked token', () => {
    it('ignores a second revocation', () => {
      spec.given([registered, issued, revoked]).when({ type: 'RevokeToken', tokenId: 't1' }).then([]);
    });

    it('keeps the token revoked beside a newly issued one', () => {
      spec
        .given([registered, issued, revoked])
        .when({ type: 'IssueToken', tokenId: 't3', tokenHash: 'h3', expiresAt: null, now })
        .thenState((s) => {
          expect(s.status === 'Active' && s.tokens['t1']?.revoked).toBe(true);
          expect(s.status === 'Active' && s.tokens['t3']?.revoked).toBe(false);
        });
    });
  });
});

describe('role grant decider', () => {
  const spec = deciderSpec(roleGrantDecider);
  const grant: RoleGrantCommand = {
    type: 'GrantRole',
    grantId: 'g1',
    principalId: 'bob',
    role: 'developer',
    project: 'shop',
    reason: 'joined team',
    grantedBy: 'alice',
    expiresAt: null,
    now,
  };
  const granted: RoleGranted = {
    type: 'RoleGranted',
    data: {
      grantId: 'g1',
      principalId: 'bob',
      role: 'developer',
      project: 'shop',
      reason: 'joined team',
      grantedBy: 'alice',
      expiresAt: null,
    },
  };
  const revoked: RoleRevoked = {
    type: 'RoleRevoked',
    data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'left', revokedBy: 'alice' },
  };

  describe('given no grant', () => {
    it('records who granted which role where and why', () => {
      spec.given([]).when(grant).then([granted]);
    });

    it('forbids granting a role to oneself, naming the rule', () => {
      spec
        .given([])
        .when({ ...grant, grantedBy: 'bob' })
        .thenThrows(Forbidden, /themselves/);
    });

    it('refuses an expiry in the past', () => {
      spec
        .given([])
        .when({ ...grant, expiresAt: '2020-01-01T00:00:00.000Z' })
        .thenThrows(Invalid);
    });

    it('has nothing to revoke', () => {
      spec.given([]).when({ type: 'RevokeRoleGrant', reason: 'x', revokedBy: 'alice' }).thenThrows(NotFound);
    });
  });

  describe('given a granted role', () => {
    it('decides nothing for the same grant again, and refuses another grant on its stream', () => {
      spec
        .given([granted])
        .when({ ...grant, reason: 'asked twice', grantedBy: 'carol' })
        .then([]);
      spec
        .given([granted])
        .when({ ...grant, expiresAt: '2027-01-01T00:00:00.000Z' })
        .thenThrows(Conflict);
      spec
        .given([granted])
        .when({ ...grant, role: 'qa' })
        .thenThrows(Conflict);
    });

    it('revokes it', () => {
      spec
        .given([granted])
        .when({ type: 'RevokeRoleGrant', reason: 'left', revokedBy: 'alice' })
        .then([
          {
            type: 'RoleRevoked',
            data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'shop', reason: 'left', revokedBy: 'alice' },
          },
        ]);
    });
  });

  describe('given a revoked role', () => {
    it('refuses the same grant on its stream (a new grant takes a new stream)', () => {
      spec.given([granted, revoked]).when(grant).thenThrows(Conflict);
    });

    it('revokes only once', () => {
      spec.given([granted, revoked]).when({ type: 'RevokeRoleGrant', reason: 'again', revokedBy: 'alice' }).thenThrows(Conflict);
    });
  });
});
