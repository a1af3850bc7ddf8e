import type { DecisionInput, EngineVerdict, PolicyEngine, PolicyHit } from './policy-engine.js';

/**
 * An OPA server over its REST Data API: `POST /v1/data/<path>` with `{input}`. The Rego policy
 * (contexts/access-control/policies/access.rego, or an organisation's own) answers
 * `{allowed, permits: [{id, reason}], forbids: [{id, reason}], policy_version}`. No answer, a bad
 * answer or an unreachable server denies: the decision point fails closed.
 */
export class OpaPolicyEngine implements PolicyEngine {
  readonly name = 'opa' as const;
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly decisionPath: string,
    private readonly timeoutMs: number,
  ) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/v1/data/${decisionPath}`;
  }

  async evaluate(input: DecisionInput): Promise<EngineVerdict> {
    let body: { result?: unknown };
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) return refuse('pdp.unavailable', `OPA answered ${response.status} at /v1/data/${this.decisionPath}`);
      body = (await response.json()) as { result?: unknown };
    } catch (error) {
      return refuse('pdp.unavailable', `OPA could not be asked: ${error instanceof Error ? error.message : String(error)}`);
    }
    const result = body.result as Record<string, unknown> | undefined;
    if (result === undefined) return refuse('pdp.policy-undefined', `OPA has no decision at ${this.decisionPath}: is the policy loaded?`);
    const permits = hits(result['permits']);
    const forbids = hits(result['forbids']);
    const version = typeof result['policy_version'] === 'string' ? `opa:${result['policy_version']}` : 'opa:unknown';
    if (typeof result['allowed'] !== 'boolean' || !permits || !forbids) {
      return refuse('pdp.bad-answer', `OPA's answer at ${this.decisionPath} is not {allowed, permits, forbids}`, version);
    }
    const allowed = result['allowed'] && forbids.length === 0 && permits.length > 0;
    return allowed
      ? { allowed, permits, forbids: [], policyVersion: version }
      : { allowed: false, permits: [], forbids, policyVersion: version };
  }
}

function hits(value: unknown): PolicyHit[] | null {
  if (!Array.isArray(value)) return null;
  const out: PolicyHit[] = [];
  for (const item of value as unknown[]) {
    const hit = item as { id?: unknown; reason?: unknown };
    if (typeof hit?.id !== 'string') return null;
    out.push({ id: hit.id, reason: typeof hit.reason === 'string' ? hit.reason : hit.id });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function refuse(id: string, reason: string, policyVersion = 'opa:unknown'): EngineVerdict {
  return { allowed: false, permits: [], forbids: [{ id, reason }], policyVersion };
}
