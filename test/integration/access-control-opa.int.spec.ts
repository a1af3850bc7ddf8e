import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testOpaUrl } from '#testing';
import { OpaPolicyEngine } from '../../contexts/access-control/src/application/policy/opa-policy-engine.js';
import { policyEngineContract } from '../../contexts/access-control/src/application/policy/policy-engine.contract.js';
import type { DecisionInput } from '../../contexts/access-control/src/application/policy/policy-engine.js';
import { builtInPolicyDir } from '../../contexts/access-control/src/application/policy/policy-sources.js';

/**
 * The built-in Rego policy in the real OPA server, under a package of its own per run so runs
 * sharing the server cannot collide; the same examples as the embedded Cedar engine.
 */
const suffix = randomBytes(4).toString('hex');
const packagePath = `compliance_ledger/access_it_${suffix}`;
const policyId = `compliance-ledger-access-it-${suffix}`;
const opa = testOpaUrl();

async function loadPolicy(): Promise<void> {
  const rego = readFileSync(join(builtInPolicyDir(), 'access.rego'), 'utf8').replace(
    /^package compliance_ledger\.access$/m,
    `package ${packagePath.replace(/\//g, '.')}`,
  );
  const response = await fetch(`${opa}/v1/policies/${policyId}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: rego });
  if (!response.ok) throw new Error(`OPA refused the policy: ${response.status} ${await response.text()}`);
}

describe('access decisions through the OPA adapter (real OPA, built-in Rego policy)', () => {
  beforeAll(loadPolicy);
  afterAll(async () => {
    await fetch(`${opa}/v1/policies/${policyId}`, { method: 'DELETE' });
  });

  policyEngineContract({
    // The SoD pairs reach Rego in the input (context.sodConflictingRoles), not in the policy.
    engine: () => Promise.resolve(new OpaPolicyEngine(opa, `${packagePath}/decision`, 2000)),
  });

  const input: DecisionInput = {
    principal: { id: 'bob', kind: 'user', roles: ['developer'], allRoles: ['developer'], groups: [] },
    action: 'pipeline.configure',
    resource: { type: 'pipeline', project: 'shop' },
    context: { isRead: false, isProduction: false, withinChangeWindow: true, emergencyApproved: false, now: '2026-01-01T00:00:00Z' },
  };

  it('reports the policy version the server answered with', async () => {
    const verdict = await new OpaPolicyEngine(opa, `${packagePath}/decision`, 2000).evaluate(input);
    expect(verdict).toMatchObject({ allowed: true, policyVersion: 'opa:access-rego-1' });
    expect(verdict.permits.map((p) => p.id)).toEqual(['rbac.developer']);
  });

  it('denies when the decision path has no policy (fails closed)', async () => {
    const verdict = await new OpaPolicyEngine(opa, `compliance_ledger/nothing_here_${suffix}/decision`, 2000).evaluate(input);
    expect(verdict.allowed).toBe(false);
    expect(verdict.forbids[0]!.id).toBe('pdp.policy-undefined');
  });

  it('denies when the server cannot be reached (fails closed)', async () => {
    const verdict = await new OpaPolicyEngine('http://127.0.0.1:9', `${packagePath}/decision`, 500).evaluate(input);
    expect(verdict.allowed).toBe(false);
    expect(verdict.forbids[0]!.id).toBe('pdp.unavailable');
  });
});
