import { createHash } from 'node:crypto';
import type { ActionConstraint, AuthorizationAnswer, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import { policySetTextToParts, policyToJson, preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { DecisionInput, EngineVerdict, PolicyEngine, PolicyHit } from './policy-engine.js';

export interface PolicySource {
  /** Where the text came from, for error messages (a file name). */
  readonly name: string;
  readonly text: string;
}

interface PolicyMeta {
  readonly effect: 'permit' | 'forbid';
  readonly reason: string;
  /** Actions its scope names; null when it applies to every action. */
  readonly actions: readonly string[] | null;
}

const OTHER_ACTIONS = '\u0000other';

/** The action ids a scope names (requests carry no action hierarchy, so `in` is equality). */
function scopeActions(scope: ActionConstraint): string[] | null {
  const id = (uid: EntityUidJson) => ('__entity' in uid ? uid.__entity.id : uid.id);
  if (scope.op === '==' && 'entity' in scope) return [id(scope.entity)];
  if (scope.op === 'in' && 'entities' in scope) return scope.entities.map(id);
  if (scope.op === 'in' && 'entity' in scope) return [id(scope.entity)];
  return null;
}

/**
 * Cedar, embedded: the policy set is parsed once (and cached inside the WASM module); each
 * decision passes only the request's entities. Policies whose scope names other actions cannot
 * apply, so each action is judged by its own slice of the set (parsed once, on first use), which
 * keeps the cost of a decision from growing with policies about other actions. An error inside
 * a `forbid` counts as that forbid applying, so a policy that cannot be evaluated never lets a
 * request through.
 */
export class CedarPolicyEngine implements PolicyEngine {
  readonly name = 'cedar' as const;
  private readonly slices = new Map<string, string>();
  private readonly namedActions: ReadonlySet<string>;

  private constructor(
    private readonly texts: Readonly<Record<string, string>>,
    private readonly meta: ReadonlyMap<string, PolicyMeta>,
    readonly policyVersion: string,
  ) {
    this.namedActions = new Set([...meta.values()].flatMap((m) => m.actions ?? []));
  }

  /** Parses every source; throws one error naming each bad file and policy. */
  static fromSources(sources: readonly PolicySource[]): CedarPolicyEngine {
    const texts: Record<string, string> = {};
    const meta = new Map<string, PolicyMeta>();
    const problems: string[] = [];
    for (const source of sources) {
      const parts = policySetTextToParts(source.text);
      if (parts.type === 'failure') {
        problems.push(`${source.name}: ${parts.errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      if (parts.policy_templates.length > 0) problems.push(`${source.name}: policy templates are not supported`);
      parts.policies.forEach((text, index) => {
        const json = policyToJson(text);
        if (json.type === 'failure') {
          problems.push(`${source.name} policy ${index + 1}: ${json.errors.map((e) => e.message).join('; ')}`);
          return;
        }
        const annotations = json.json.annotations ?? {};
        const id = annotations['id'] ?? `${source.name}#${index + 1}`;
        if (texts[id] !== undefined) {
          problems.push(`${source.name}: policy id "${id}" is used twice`);
          return;
        }
        texts[id] = text;
        meta.set(id, { effect: json.json.effect, reason: annotations['reason'] ?? id, actions: scopeActions(json.json.action) });
      });
    }
    if (problems.length > 0) throw new Error(`cannot load Cedar policies: ${problems.join(' | ')}`);
    const digest = createHash('sha256');
    for (const id of Object.keys(texts).sort()) digest.update(id).update('\0').update(texts[id]!).update('\0');
    const engine = new CedarPolicyEngine(texts, meta, `cedar:${digest.digest('hex').slice(0, 12)}`);
    engine.preparse('all', Object.keys(texts)); // the whole set, so a bad one fails at startup, not on first use
    return engine;
  }

  get policyCount(): number {
    return this.meta.size;
  }

  evaluate(input: DecisionInput): Promise<EngineVerdict> {
    const principal = { type: 'Principal', id: input.principal.id };
    const resource = { type: 'Resource', id: `${input.resource.type}/${input.resource.id ?? ''}` };
    const entities: EntityJson[] = [
      { uid: principal, attrs: toCedarRecord(input.principal), parents: [] },
      { uid: resource, attrs: toCedarRecord(input.resource), parents: [] },
    ];
    const answer = statefulIsAuthorized({
      principal,
      action: { type: 'Action', id: input.action },
      resource,
      context: toCedarRecord(input.context),
      preparsedPolicySetId: this.sliceFor(input.action),
      entities,
    });
    return Promise.resolve(this.verdict(answer));
  }

  /** The preparsed slice for an action; actions no policy names share one slice, so callers cannot grow the cache. */
  private sliceFor(action: string): string {
    const key = this.namedActions.has(action) ? action : OTHER_ACTIONS;
    const cached = this.slices.get(key);
    if (cached) return cached;
    const selected = Object.keys(this.texts).filter((id) => {
      const actions = this.meta.get(id)!.actions;
      return actions === null || actions.includes(key);
    });
    const id = this.preparse(key, selected);
    this.slices.set(key, id);
    return id;
  }

  private preparse(key: string, policyIds: readonly string[]): string {
    const id = `${this.policyVersion}#${key}`;
    const parsed = preparsePolicySet(id, { staticPolicies: Object.fromEntries(policyIds.map((p) => [p, this.texts[p]!])) });
    if (parsed.type === 'failure') throw new Error(`cannot load Cedar policies: ${parsed.errors.map((e) => e.message).join('; ')}`);
    return id;
  }

  private verdict(answer: AuthorizationAnswer): EngineVerdict {
    if (answer.type === 'failure') {
      const reason = `the request could not be evaluated: ${answer.errors.map((e) => e.message).join('; ')}`;
      return { allowed: false, permits: [], forbids: [{ id: 'policy.evaluation-failed', reason }], policyVersion: this.policyVersion };
    }
    const { decision, diagnostics } = answer.response;
    const hits = diagnostics.reason.map((id): PolicyHit => ({ id, reason: this.meta.get(id)?.reason ?? id }));
    const broken = diagnostics.errors
      .filter((e) => this.meta.get(e.policyId)?.effect === 'forbid')
      .map((e): PolicyHit => ({
        id: e.policyId,
        reason: `${this.meta.get(e.policyId)!.reason} (could not be evaluated: ${e.error.message})`,
      }));
    if (decision === 'allow' && broken.length === 0)
      return { allowed: true, permits: hits, forbids: [], policyVersion: this.policyVersion };
    return { allowed: false, permits: [], forbids: decision === 'deny' ? [...hits, ...broken] : broken, policyVersion: this.policyVersion };
  }
}

type CedarValue = string | number | boolean | CedarValue[] | { [key: string]: CedarValue };

/**
 * JSON → Cedar values: Cedar has no null and only 64-bit integers, so nulls are dropped and
 * fractions become strings; keys starting with "__" (Cedar's escapes) are dropped.
 */
function toCedarValue(value: unknown, depth = 0): CedarValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  if (depth > 8) return undefined;
  if (Array.isArray(value)) return value.map((v) => toCedarValue(v, depth + 1)).filter((v): v is CedarValue => v !== undefined);
  if (value !== null && typeof value === 'object') return toCedarRecord(value, depth + 1);
  return undefined;
}

function toCedarRecord(value: object, depth = 0): { [key: string]: CedarValue } {
  const record: { [key: string]: CedarValue } = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('__')) continue;
    const converted = toCedarValue(v, depth);
    if (converted !== undefined) record[key] = converted;
  }
  return record;
}
