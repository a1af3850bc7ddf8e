import type { ProjectionRunner } from '#platform';
import { InMemoryEventStore } from '#testing';
import { CommandExecutor, SequentialIds } from '#kernel';
import type { AccessControlQueries, GrantFact } from '../../read-models/access-control.queries.js';
import { AccessChangeFeed, principalKey } from './access-change-feed.js';
import { CachedAccessFacts } from './access-facts.js';
import { EventStoreDecisionLog } from './decision-log.js';
import type { DecisionInput } from './policy-engine.js';

describe('cached access facts', () => {
  let committed: string | null;
  let rows: GrantFact[];
  let loads: number;
  let feed: AccessChangeFeed;
  let facts: CachedAccessFacts;

  beforeEach(() => {
    committed = '10:5';
    rows = [{ id: 'g1', role: 'developer', project: 'shop', expiresAt: null }];
    loads = 0;
    feed = new AccessChangeFeed();
    const queries = { grantsOf: () => (loads++, Promise.resolve([...rows])) } as unknown as AccessControlQueries;
    const runner = { status: () => [{ name: 'access-control', cursor: committed, error: null }] } as unknown as ProjectionRunner;
    facts = new CachedAccessFacts(queries, runner, feed);
  });

  it('serves repeated asks from memory', async () => {
    await facts.grantsOf('bob');
    await facts.grantsOf('bob');
    expect(loads).toBe(1);
  });

  it('reloads once the projection has committed a change to the principal, and not before', async () => {
    await facts.grantsOf('bob');
    feed.touch(principalKey('bob'), '11:6'); // applied, not yet committed
    rows = [];
    expect(await facts.grantsOf('bob')).toEqual([]); // stale entry dropped, rows read again
    expect(loads).toBe(2);
    // Loaded while the projection stood at 10:5 < 11:6, so still not trusted.
    await facts.grantsOf('bob');
    expect(loads).toBe(3);
    committed = '11:6';
    await facts.grantsOf('bob');
    await facts.grantsOf('bob');
    expect(loads).toBe(4);
  });

  it('caches nothing before the projection has a position', async () => {
    committed = null;
    await facts.grantsOf('bob');
    await facts.grantsOf('bob');
    expect(loads).toBe(2);
  });

  it('is not disturbed by changes to other principals', async () => {
    await facts.grantsOf('bob');
    feed.touch(principalKey('alice'), '99:1');
    await facts.grantsOf('bob');
    expect(loads).toBe(1);
  });
});

describe('decision log', () => {
  it('appends one AccessDenied event per decision in the shape of an OPA decision-log entry', async () => {
    const store = new InMemoryEventStore();
    const log = new EventStoreDecisionLog(new CommandExecutor(store), new SequentialIds('e'), 'cedar/access');
    const input = {
      principal: { id: 'bob', kind: 'user', roles: [], allRoles: [], groups: [] },
      action: 'pipeline.run',
      resource: { type: 'pipeline', project: 'shop' },
      context: {
        isRead: false,
        isProduction: true,
        withinChangeWindow: true,
        emergencyApproved: false,
        now: '2026-01-01T00:00:00.000Z',
        environment: 'production',
      },
    } satisfies DecisionInput;
    const decision = { allowed: false, reasons: ['no'], decisionId: 'd1', policyVersion: 'cedar:abc', rule: 'rbac.no-role-allows' };
    await log.record(input, decision, 'cedar', new Date('2026-01-01T00:00:00Z'));
    const [event] = await store.readStream('access-decision-d1');
    expect(event).toMatchObject({
      type: 'AccessDenied',
      metadata: { actor: 'bob', project: 'shop', correlationId: 'd1', context: 'access-control' },
      data: {
        decision_id: 'd1',
        path: 'cedar/access',
        input,
        result: { allowed: false, reasons: ['no'], rule: 'rbac.no-role-allows' },
        reasons: ['no'],
        policy_version: 'cedar:abc',
        engine: 'cedar',
        timestamp: '2026-01-01T00:00:00.000Z',
      },
    });
  });
});
