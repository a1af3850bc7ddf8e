import type { GivenEvent } from '#testing';
import { projectionSpec } from '#testing';
import { AccessChangeFeed, principalKey, projectKey } from '../application/policy/access-change-feed.js';
import type { PrincipalEvent } from '../domain/principal.decider.js';
import type { ProjectEvent } from '../domain/project.decider.js';
import { DEFAULT_PROJECT_SETTINGS, type ProjectSettings } from '../domain/project-settings.js';
import type { RoleGrantEvent } from '../domain/role-grant.decider.js';
import { AccessControlProjection } from './access-control.projection.js';
import { AccessControlQueries } from './access-control.queries.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();
const event = (streamId: string, minute: number, e: PrincipalEvent | ProjectEvent | RoleGrantEvent): GivenEvent => ({
  ...e,
  streamId,
  metadata: { actor: 'alice', occurredAt: at(minute), context: 'access-control' },
});

const settings: ProjectSettings = { ...DEFAULT_PROJECT_SETTINGS, environments: ['dev', 'live'], productionEnvironments: ['live'] };
const history = [
  event('project-shop', 0, { type: 'ProjectCreated', data: { projectId: 'shop', name: 'Shop' } }),
  event('principal-ci', 1, { type: 'PrincipalRegistered', data: { principalId: 'ci', kind: 'pipeline', displayName: 'CI' } }),
  event('principal-ci', 2, { type: 'TokenIssued', data: { principalId: 'ci', tokenId: 't1', tokenHash: 'h1', expiresAt: null } }),
  event('principal-ci', 3, { type: 'TokenIssued', data: { principalId: 'ci', tokenId: 't2', tokenHash: 'h2', expiresAt: null } }),
  event('principal-ci', 4, { type: 'TokenRevoked', data: { principalId: 'ci', tokenId: 't1' } }),
  event('grant-g1', 5, {
    type: 'RoleGranted',
    data: { grantId: 'g1', principalId: 'ci', role: 'developer', project: 'shop', reason: 'pipeline', grantedBy: 'alice', expiresAt: null },
  }),
  event('grant-g2', 6, {
    type: 'RoleGranted',
    data: {
      grantId: 'g2',
      principalId: 'ci',
      role: 'release-manager',
      project: 'shop',
      reason: 'release',
      grantedBy: 'alice',
      expiresAt: null,
    },
  }),
  event('grant-g1', 7, {
    type: 'RoleRevoked',
    data: { grantId: 'g1', principalId: 'ci', role: 'developer', project: 'shop', reason: 'done', revokedBy: 'alice' },
  }),
  event('project-shop', 8, { type: 'ProjectSettingsChanged', data: { projectId: 'shop', settings } }),
];

describe('access-control projection', () => {
  const feed = new AccessChangeFeed();
  const spec = projectionSpec(new AccessControlProjection(feed));
  afterAll(() => spec.close());

  it('serves active tokens by hash: a revoked one is refused', async () => {
    const now = new Date(at(30));
    await spec
      .given(history)
      .whenApplied()
      .then(
        async (db) => {
          const queries = new AccessControlQueries(db);
          return [await queries.findActiveToken('h1', now), await queries.findActiveToken('h2', now)];
        },
        [null, { tokenId: 't2', principalId: 'ci', kind: 'pipeline' }],
      );
  });

  it('keeps the grants not revoked and the latest settings, however the log is cut', async () => {
    for (const cuts of [[], [1, 2, 3, 4, 5, 6, 7, 8], [5]]) {
      await spec
        .given(history)
        .whenApplied({ cuts })
        .then(
          async (db) => {
            const queries = new AccessControlQueries(db);
            return {
              grants: await queries.grantsOf('ci'),
              production: await queries.productionEnvironments('shop'),
              version: (await queries.settingsOf('shop'))?.version,
            };
          },
          { grants: [{ id: 'g2', role: 'release-manager', project: 'shop', expiresAt: null }], production: ['live'], version: 1 },
        );
    }
  });

  it('applying an event twice changes nothing', async () => {
    const twice = [...history, ...history];
    const once = await spec
      .given(history)
      .whenApplied()
      .then((db) => new AccessControlQueries(db).grants('*', {}));
    expect(once).toHaveLength(2);
    await spec
      .given(twice)
      .whenApplied()
      .then((db) => new AccessControlQueries(db).grants('*', {}), once);
  });

  it('tells the change feed which principals and projects changed, at which cursor', async () => {
    const fresh = new AccessChangeFeed();
    const own = projectionSpec(new AccessControlProjection(fresh));
    const { events } = own.given(history);
    await own
      .given(history)
      .whenApplied()
      .then(async () => undefined)
      .finally(() => own.close());
    const feed = fresh;
    expect(feed.fresh(principalKey('ci'), events[6]!.cursor)).toBe(false);
    expect(feed.fresh(principalKey('ci'), events[7]!.cursor)).toBe(true);
    expect(feed.fresh(projectKey('shop'), events[7]!.cursor)).toBe(false);
    expect(feed.fresh(projectKey('shop'), events[8]!.cursor)).toBe(true);
  });
});
