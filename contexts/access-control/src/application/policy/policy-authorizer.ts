import type { Clock, IdGenerator } from '#kernel';
import { Forbidden } from '#kernel';
import type { AccessDecision, AccessRequest, AuthenticatedPrincipal, Authorization, Authorizer } from '#platform';
import type { AccessControlSettings } from '../../access-control.settings.js';
import { withinChangeWindow } from '../../access-control.settings.js';
import type { GrantFact } from '../../read-models/access-control.queries.js';
import type { AccessFacts } from './access-facts.js';
import { buildDecisionInput, grantsInForce, projectOf } from './decision-input.js';
import type { DecisionRecorder } from './decision-log.js';
import type { DecisionInput, PolicyEngine } from './policy-engine.js';

/** Administrative actions: refused without a permit, they name the platform-admin role. */
const ADMIN_ACTIONS = new Set([
  'project.create',
  'project.configure',
  'principal.register',
  'role.grant',
  'role.revoke',
  'token.manage',
  'token.read',
]);

/** How long a projectsWhere answer may be reused while the principal's grants stay the same. */
const PROJECTS_WHERE_TTL_MS = 1000;
const PROJECTS_MEMO_ENTRIES = 10_000;

export interface PolicyAuthorizerDeps {
  readonly engine: PolicyEngine;
  readonly facts: AccessFacts;
  readonly recorder: DecisionRecorder;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly config: Pick<AccessControlSettings, 'oidc' | 'sodConflictingRoles' | 'changeWindow'>;
}

/**
 * The policy decision point: gathers the facts (grants in force, the project's production
 * environments, the change window), asks the engine, and records every denial and every
 * decision on a state-changing action: `decide` and `require` before answering, `authorize`
 * (for commands) by handing the record to the write side, which commits it with the action.
 * Nothing acts on an unrecorded decision.
 */
export class PolicyAuthorizer implements Authorizer {
  private readonly projectsMemo = new Map<string, { facts: readonly GrantFact[]; until: number; value: '*' | readonly string[] }>();

  constructor(private readonly deps: PolicyAuthorizerDeps) {}

  get engineName(): string {
    return this.deps.engine.name;
  }

  async decide(request: AccessRequest): Promise<AccessDecision> {
    const { input, decision, now } = await this.assess(request);
    if (!decision.allowed || !input.context.isRead) await this.deps.recorder.record(input, decision, this.deps.engine.name, now);
    return decision;
  }

  async require(request: AccessRequest): Promise<AccessDecision> {
    const decision = await this.decide(request);
    if (!decision.allowed) throw refusal(decision);
    return decision;
  }

  async authorize(request: AccessRequest): Promise<Authorization> {
    const { input, decision, now } = await this.assess(request);
    if (!decision.allowed) {
      await this.deps.recorder.record(input, decision, this.deps.engine.name, now);
      throw refusal(decision);
    }
    return { decision, record: input.context.isRead ? null : this.deps.recorder.prepare(input, decision, this.deps.engine.name, now) };
  }

  /**
   * Memoised briefly per principal and action (it runs on every ingest and every filtered read,
   * at one engine call per project): an answer is reused while the principal's registered grants
   * are the very same facts (AccessFacts hands out a new array when they change, so a grant or a
   * revocation counts at once), for at most PROJECTS_WHERE_TTL_MS and never past a grant's expiry.
   * Only the choice of projects can be that old; every action is still decided afresh.
   */
  async projectsWhere(principal: AuthenticatedPrincipal, action: string): Promise<'*' | readonly string[]> {
    const now = this.deps.clock.now();
    const registered = await this.deps.facts.grantsOf(principal.id);
    const key = JSON.stringify([principal.id, principal.kind, principal.groups ?? [], action]);
    const memo = this.projectsMemo.get(key);
    if (memo && memo.facts === registered && now.getTime() < memo.until) return memo.value;
    const value = await this.computeProjectsWhere(principal, action, this.withGroupRoles(principal, registered, now), now);
    const expiries = registered.map((g) => (g.expiresAt === null ? Infinity : Date.parse(g.expiresAt))).filter((t) => t > now.getTime());
    if (this.projectsMemo.size >= PROJECTS_MEMO_ENTRIES) this.projectsMemo.clear();
    this.projectsMemo.set(key, { facts: registered, until: Math.min(now.getTime() + PROJECTS_WHERE_TTL_MS, ...expiries), value });
    return value;
  }

  private async computeProjectsWhere(
    principal: AuthenticatedPrincipal,
    action: string,
    grants: readonly GrantFact[],
    now: Date,
  ): Promise<'*' | readonly string[]> {
    if (grants.length === 0) return [];
    const ask = async (project?: string) =>
      (
        await this.judge(
          this.input({ principal, action, resource: { type: 'project', ...(project ? { id: project, project } : {}) } }, grants, now, []),
        )
      ).allowed;
    if (await ask()) return '*';
    const projects = [...new Set(grants.map((g) => g.project).filter((p) => p !== '*'))].sort();
    const allowed: string[] = [];
    for (const project of projects) if (await ask(project)) allowed.push(project);
    return allowed;
  }

  /** Roles the principal holds now in `project` (with every-project grants), or anywhere when project is '*'. */
  async rolesOf(principal: AuthenticatedPrincipal, project: string): Promise<string[]> {
    const grants = await this.grantsOf(principal, this.deps.clock.now());
    return [...new Set(grants.filter((g) => project === '*' || g.project === '*' || g.project === project).map((g) => g.role))].sort();
  }

  async inputFor(request: AccessRequest, now = this.deps.clock.now()): Promise<DecisionInput> {
    const project = projectOf(request.resource);
    const [grants, productionEnvironments] = await Promise.all([
      this.grantsOf(request.principal, now),
      project ? this.deps.facts.productionEnvironments(project) : Promise.resolve([] as readonly string[]),
    ]);
    return this.input(request, grants, now, productionEnvironments);
  }

  /** Gathers the facts for a request and judges it; records nothing. */
  private async assess(request: AccessRequest): Promise<{ input: DecisionInput; decision: AccessDecision; now: Date }> {
    const now = this.deps.clock.now();
    const input = await this.inputFor(request, now);
    return { input, decision: await this.judge(input), now };
  }

  /** Asks the engine and words the answer; records nothing. */
  async judge(input: DecisionInput): Promise<AccessDecision> {
    const verdict = await this.deps.engine.evaluate(input);
    const decisionId = this.deps.ids.next();
    if (verdict.allowed) {
      return {
        allowed: true,
        reasons: verdict.permits.map((p) => `${p.id}: ${p.reason}`),
        decisionId,
        policyVersion: verdict.policyVersion,
      };
    }
    if (verdict.forbids.length > 0) {
      const forbids = [...verdict.forbids].sort((a, b) => a.id.localeCompare(b.id)); // the same rule from either engine
      return {
        allowed: false,
        reasons: forbids.map((f) => `${f.id}: ${f.reason}`),
        decisionId,
        policyVersion: verdict.policyVersion,
        rule: forbids[0]!.id,
      };
    }
    const project = projectOf(input.resource);
    const where = project ? `project "${project}"` : 'every project ("*")';
    const held = input.principal.roles.length > 0 ? input.principal.roles.join(', ') : 'none';
    const admin = ADMIN_ACTIONS.has(input.action);
    const reason = admin
      ? `${input.action} needs the platform-admin role on ${where}`
      : `no role of ${input.principal.id} allows ${input.action} on ${input.resource.type} in ${where} (roles there: ${held}${input.context.environment ? `; environment ${input.context.environment}` : ''})`;
    return {
      allowed: false,
      reasons: [reason],
      decisionId,
      policyVersion: verdict.policyVersion,
      rule: admin ? 'rbac.platform-admin-required' : 'rbac.no-role-allows',
    };
  }

  private input(request: AccessRequest, grants: readonly GrantFact[], now: Date, productionEnvironments: readonly string[]): DecisionInput {
    const window = this.deps.config.changeWindow;
    return buildDecisionInput(request, {
      grants,
      productionEnvironments,
      now,
      withinChangeWindow: window === null || withinChangeWindow(window, now),
      sodConflictingRoles: this.deps.config.sodConflictingRoles,
      principalKind: request.principal.kind,
    });
  }

  /** Registered grants in force, plus the roles the principal's OIDC groups map to. */
  private async grantsOf(principal: AuthenticatedPrincipal, now: Date): Promise<GrantFact[]> {
    return this.withGroupRoles(principal, await this.deps.facts.grantsOf(principal.id), now);
  }

  private withGroupRoles(principal: AuthenticatedPrincipal, facts: readonly GrantFact[], now: Date): GrantFact[] {
    const registered = grantsInForce(facts, now);
    const groups = new Set(principal.groups ?? []);
    const mapped = (this.deps.config.oidc?.groupRoles ?? [])
      .filter((m) => groups.has(m.group))
      .map((m): GrantFact => ({ id: `oidc-group:${m.group}`, role: m.role, project: m.project, expiresAt: null }));
    return [...registered, ...mapped];
  }
}

/** The error a refusal raises, naming the rule that refused. */
const refusal = (decision: AccessDecision): Forbidden => new Forbidden(decision.reasons.join('; '), decision.rule ?? 'rbac.no-role-allows');
