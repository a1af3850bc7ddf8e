import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccessRequest, AuthenticatedPrincipal } from '#platform';
import { loadSettings } from '#platform';
import { DEFAULT_SOD_CONFLICTS, readAccessControlSettings } from '../contexts/access-control/src/access-control.settings.js';

const loadConfig = (env: NodeJS.ProcessEnv) => ({ accessControl: loadSettings(readAccessControlSettings, env) });
import { systemClock, uuidGenerator } from '#kernel';
import { CedarPolicyEngine } from '../contexts/access-control/src/application/policy/cedar-policy-engine.js';
import type { AccessFacts } from '../contexts/access-control/src/application/policy/access-facts.js';
import type { DecisionRecorder } from '../contexts/access-control/src/application/policy/decision-log.js';
import { OpaPolicyEngine } from '../contexts/access-control/src/application/policy/opa-policy-engine.js';
import { PolicyAuthorizer } from '../contexts/access-control/src/application/policy/policy-authorizer.js';
import type { PolicyEngine } from '../contexts/access-control/src/application/policy/policy-engine.js';
import { builtInPolicyDir, cedarPolicySources } from '../contexts/access-control/src/application/policy/policy-sources.js';
import type { GrantFact } from '../contexts/access-control/src/read-models/access-control.queries.js';
import { ROLES } from '../contexts/access-control/src/domain/roles.js';
import { percentile, round } from './bench-utils.js';

/**
 * Access-decision latency through the decision point (facts in memory, input built, engine
 * asked, answer worded): embedded Cedar with 1,000 grants and 50 policies, and the OPA adapter
 * against the real server at OPA_URL. Each is compared with an empty-policy call on the same
 * path in the same run. Recording is left out (a no-op recorder): it is one event-store append,
 * measured by the event-store benchmark.
 */

const PRINCIPALS = 200;
const GRANTS_EACH = 5;
const PROJECTS = 20;
const POLICIES = 50;
const IN_PROCESS_SAMPLES = 20_000;
const OPA_SAMPLES = 2_000;
const WARM_UP = 1_000;
const ACTIONS = [
  'pipeline.run',
  'pipeline.read-logs',
  'deployment.approve',
  'change.approve',
  'test-result.modify',
  'audit.read',
  'environment.configure',
  'version.tag',
];
const ENVIRONMENTS = ['dev', 'staging', 'production'];

/** A deterministic pseudo-random sequence, so every run asks the same questions. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

class BenchFacts implements AccessFacts {
  readonly grants = new Map<string, GrantFact[]>();
  constructor(random: () => number) {
    for (let p = 0; p < PRINCIPALS; p++) {
      const list: GrantFact[] = [];
      for (let g = 0; g < GRANTS_EACH; g++) {
        list.push({
          id: `g-${p}-${g}`,
          role: ROLES[Math.floor(random() * ROLES.length)]!,
          project: `p${Math.floor(random() * PROJECTS)}`,
          expiresAt: null,
        });
      }
      this.grants.set(`u${p}`, list);
    }
  }
  grantsOf(principalId: string): Promise<readonly GrantFact[]> {
    return Promise.resolve(this.grants.get(principalId) ?? []);
  }
  productionEnvironments(): Promise<readonly string[]> {
    return Promise.resolve(['production']);
  }
}

const noRecorder: DecisionRecorder = {
  record: () => Promise.resolve(),
  prepare: () => {
    throw new Error('the bench records nothing');
  },
};

function requests(count: number, random: () => number): AccessRequest[] {
  return Array.from({ length: count }, () => {
    const principal: AuthenticatedPrincipal = { id: `u${Math.floor(random() * PRINCIPALS)}`, kind: 'user' };
    return {
      principal,
      action: ACTIONS[Math.floor(random() * ACTIONS.length)]!,
      resource: {
        type: 'deployment',
        id: 'd1',
        project: `p${Math.floor(random() * PROJECTS)}`,
        requestedBy: `u${Math.floor(random() * PRINCIPALS)}`,
        approvers: [],
      },
      context: { environment: ENVIRONMENTS[Math.floor(random() * ENVIRONMENTS.length)]! },
    };
  });
}

/** Organisation policies that bring the set to exactly POLICIES. */
function organisationPolicies(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? `@id("org.freeze-${i}") forbid (principal, action == Action::"version.tag", resource) when { resource has project && resource.project == "frozen-${i}" };`
      : `@id("org.custom-${i}") permit (principal, action == Action::"custom.action-${i}", resource) when { principal.roles.contains("team-lead") && context.isProduction == false };`,
  ).join('\n');
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  allowedShare: number;
}

/**
 * Times the baseline and the measured decision point on the same requests, alternating call by
 * call, so load from other processes on a shared machine falls on both alike.
 */
async function measurePair(
  baseline: PolicyAuthorizer,
  measured: PolicyAuthorizer,
  asks: readonly AccessRequest[],
): Promise<{ baseline: Latency; measured: Latency }> {
  for (const request of asks.slice(0, WARM_UP)) {
    await baseline.decide(request);
    await measured.decide(request);
  }
  const times: [number[], number[]] = [[], []];
  const allowed = [0, 0];
  for (const request of asks) {
    for (const [i, authorizer] of [baseline, measured].entries()) {
      const start = performance.now();
      const decision = await authorizer.decide(request);
      times[i]!.push(performance.now() - start);
      if (decision.allowed) allowed[i]! += 1;
    }
  }
  const summary = (i: number): Latency => ({
    p50: round(percentile(times[i]!, 50), 4),
    p95: round(percentile(times[i]!, 95), 4),
    p99: round(percentile(times[i]!, 99), 4),
    allowedShare: round(allowed[i]! / asks.length, 3),
  });
  return { baseline: summary(0), measured: summary(1) };
}

function authorizerFor(engine: PolicyEngine, facts: AccessFacts): PolicyAuthorizer {
  return new PolicyAuthorizer({
    engine,
    facts,
    recorder: noRecorder,
    clock: systemClock,
    ids: uuidGenerator,
    config: {
      oidc: null,
      sodConflictingRoles: loadConfig({ SOD_CONFLICTING_ROLES: DEFAULT_SOD_CONFLICTS }).accessControl.sodConflictingRoles,
      changeWindow: null,
    },
  });
}

async function putPolicy(opa: string, id: string, rego: string): Promise<void> {
  const response = await fetch(`${opa}/v1/policies/${id}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: rego });
  if (!response.ok) throw new Error(`OPA refused policy ${id}: ${response.status} ${await response.text()}`);
}

export async function run(): Promise<Record<string, unknown>> {
  const facts = new BenchFacts(lcg(7));
  const grantCount = [...facts.grants.values()].reduce((n, list) => n + list.length, 0);
  const config = loadConfig({ SOD_CONFLICTING_ROLES: DEFAULT_SOD_CONFLICTS }).accessControl;
  const base = cedarPolicySources({ sodConflictingRoles: config.sodConflictingRoles, policyDir: null });
  const baseCount = CedarPolicyEngine.fromSources(base).policyCount;
  const cedar = CedarPolicyEngine.fromSources([...base, { name: 'org.cedar', text: organisationPolicies(POLICIES - baseCount) }]);
  const empty = CedarPolicyEngine.fromSources([]);
  const asks = requests(IN_PROCESS_SAMPLES, lcg(11));

  const { baseline: emptyCedar, measured: fullCedar } = await measurePair(authorizerFor(empty, facts), authorizerFor(cedar, facts), asks);
  const inProcess = {
    grants: grantCount,
    policies: cedar.policyCount,
    samples: asks.length,
    baselineEmptyPolicySetMs: emptyCedar,
    cedarMs: fullCedar,
    p99OverBaseline: round(fullCedar.p99 / emptyCedar.p99, 2),
    goalP99Ms: 1,
    meetsGoal: fullCedar.p99 <= 1,
  };

  const opa = process.env['OPA_URL'] ?? 'http://127.0.0.1:8181';
  let throughOpa: Record<string, unknown>;
  const suffix = randomBytes(4).toString('hex');
  const ids = { policy: `bench-access-${suffix}`, baseline: `bench-baseline-${suffix}` };
  try {
    const rego = readFileSync(join(builtInPolicyDir(), 'access.rego'), 'utf8').replace(
      /^package compliance_ledger\.access$/m,
      `package bench_${suffix}.access`,
    );
    await putPolicy(opa, ids.policy, rego);
    await putPolicy(
      opa,
      ids.baseline,
      `package bench_${suffix}.empty\n\ndecision := {"allowed": true, "permits": [{"id": "baseline", "reason": "baseline"}], "forbids": [], "policy_version": "empty"}\n`,
    );
    const opaAsks = asks.slice(0, OPA_SAMPLES);
    const { baseline: emptyOpa, measured: fullOpa } = await measurePair(
      authorizerFor(new OpaPolicyEngine(opa, `bench_${suffix}/empty/decision`, 5000), facts),
      authorizerFor(new OpaPolicyEngine(opa, `bench_${suffix}/access/decision`, 5000), facts),
      opaAsks,
    );
    throughOpa = {
      samples: opaAsks.length,
      baselineConstantPolicyMs: emptyOpa,
      opaMs: fullOpa,
      p95OverBaseline: round(fullOpa.p95 / emptyOpa.p95, 2),
      goalP95Ms: 10,
      meetsGoal: fullOpa.p95 <= 10,
    };
  } catch (error) {
    throughOpa = { skipped: `OPA at ${opa} not usable: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    for (const id of Object.values(ids)) await fetch(`${opa}/v1/policies/${id}`, { method: 'DELETE' }).catch(() => undefined);
  }
  return { inProcess, throughOpa };
}
