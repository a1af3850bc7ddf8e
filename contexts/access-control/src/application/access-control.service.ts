import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '#kernel';
import { NotFound, WrongExpectedVersion } from '#kernel';
import type { AccessDecision, AccessRequest, AuthenticatedPrincipal } from '#platform';
import { CLOCK, generateToken, hashToken, ID_GENERATOR, WriteSide } from '#platform';
import type { PrincipalKind } from '../domain/principal.decider.js';
import { principalDecider, principalStreamId } from '../domain/principal.decider.js';
import type { ProjectSettings } from '../domain/project-settings.js';
import { projectDecider, projectStreamId } from '../domain/project.decider.js';
import type { Role } from '../domain/roles.js';
import { EVERY_PROJECT } from '../domain/roles.js';
import { roleGrantDecider, roleGrantStreamId } from '../domain/role-grant.decider.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';
import { PolicyAuthorizer } from './policy/policy-authorizer.js';
import { roleGrantIdFor } from './role-grant-identity.js';

const CONTEXT = 'access-control';

/**
 * Command handlers of Access Control: each names the access request, and the write side asks the
 * decision point and commits the decision's record with the command's events.
 */
@Injectable()
export class AccessControlService {
  constructor(
    private readonly writeSide: WriteSide,
    private readonly authorizer: PolicyAuthorizer,
    private readonly queries: AccessControlQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async createProject(actor: AuthenticatedPrincipal, projectId: string, name: string): Promise<void> {
    await this.writeSide.execute(
      projectStreamId(projectId),
      projectDecider,
      { type: 'CreateProject', projectId, name },
      this.ctx(actor, projectId),
      {
        principal: actor,
        action: 'project.create',
        resource: { type: 'project', id: projectId },
      },
    );
  }

  async changeProjectSettings(actor: AuthenticatedPrincipal, projectId: string, settings: ProjectSettings): Promise<void> {
    await this.writeSide.execute(
      projectStreamId(projectId),
      projectDecider,
      { type: 'ChangeProjectSettings', projectId, settings },
      this.ctx(actor, projectId),
      {
        principal: actor,
        action: 'project.configure',
        resource: { type: 'project', id: projectId, project: projectId },
      },
    );
  }

  async registerPrincipal(actor: AuthenticatedPrincipal, principalId: string, kind: PrincipalKind, displayName: string): Promise<void> {
    await this.writeSide.execute(
      principalStreamId(principalId),
      principalDecider,
      { type: 'RegisterPrincipal', principalId, kind, displayName },
      this.ctx(actor),
      {
        principal: actor,
        action: 'principal.register',
        resource: { type: 'principal', id: principalId },
      },
    );
  }

  /** Returns the token once; only its hash is stored. */
  async issueToken(actor: AuthenticatedPrincipal, principalId: string, expiresAt: string | null): Promise<{ id: string; token: string }> {
    const token = generateToken();
    const tokenId = this.ids.next();
    await this.writeSide.execute(
      principalStreamId(principalId),
      principalDecider,
      { type: 'IssueToken', tokenId, tokenHash: hashToken(token), expiresAt, now: this.clock.now().toISOString() },
      this.ctx(actor),
      { principal: actor, action: 'token.manage', resource: { type: 'principal', id: principalId } },
    );
    return { id: tokenId, token };
  }

  async revokeToken(actor: AuthenticatedPrincipal, principalId: string, tokenId: string): Promise<void> {
    await this.writeSide.execute(principalStreamId(principalId), principalDecider, { type: 'RevokeToken', tokenId }, this.ctx(actor), {
      principal: actor,
      action: 'token.manage',
      resource: { type: 'principal', id: principalId },
    });
  }

  async grantRole(
    actor: AuthenticatedPrincipal,
    grant: { principalId: string; role: Role; project: string; reason: string; expiresAt: string | null },
  ): Promise<{ id: string; created: boolean }> {
    // The grantee's roles where the new grant applies let the policies refuse conflicting pairs.
    const granteeRoles = await this.authorizer.rolesOf({ id: grant.principalId, kind: 'user' }, grant.project);
    // Decided before the existence checks, so only an authorized caller learns what exists.
    const authorization = await this.writeSide.authorize({
      principal: actor,
      action: 'role.grant',
      resource: { type: 'role-grant', project: grant.project, grantee: grant.principalId, role: grant.role, granteeRoles },
    });
    await this.requireExists(principalStreamId(grant.principalId), `principal ${grant.principalId}`);
    if (grant.project !== EVERY_PROJECT) await this.requireExists(projectStreamId(grant.project), `project ${grant.project}`);
    // The grant's id derives from what it grants (see roleGrantIdFor): a repeat finds the active
    // grant and decides nothing; a revoked one moves on to the next generation; a concurrent
    // duplicate loses the append and, on the retry, finds the grant the winner made.
    for (let generation = 0, conflicts = 0; ;) {
      const grantId = roleGrantIdFor(grant, generation);
      const { state } = await this.writeSide.load(roleGrantStreamId(grantId), roleGrantDecider);
      if (state.status === 'Revoked') {
        generation++;
        continue;
      }
      try {
        const result = await this.writeSide.execute(
          roleGrantStreamId(grantId),
          roleGrantDecider,
          { type: 'GrantRole', grantId, ...grant, grantedBy: actor.id, now: this.clock.now().toISOString() },
          this.ctx(actor, grant.project),
          // A lost append stored nothing, the decision's record neither: the retry commits it.
          authorization,
        );
        return { id: grantId, created: result.append !== null };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) || ++conflicts > 3) throw error;
      }
    }
  }

  async revokeRole(actor: AuthenticatedPrincipal, grantId: string, reason: string): Promise<void> {
    // The grant's own facts (project, grantee, role) are what the policies judge.
    const { state } = await this.writeSide.load(roleGrantStreamId(grantId), roleGrantDecider);
    if (state.status === 'None') throw new NotFound(`role grant ${grantId} not found`);
    await this.writeSide.execute(
      roleGrantStreamId(grantId),
      roleGrantDecider,
      { type: 'RevokeRoleGrant', reason, revokedBy: actor.id },
      this.ctx(actor, state.project),
      {
        principal: actor,
        action: 'role.revoke',
        resource: { type: 'role-grant', id: grantId, project: state.project, grantee: state.principalId, role: state.role },
      },
    );
  }

  /**
   * A decision for any principal, on behalf of a caller allowed to ask (about themselves, or
   * with access.review on the project). Recorded like every other decision.
   */
  async decideFor(
    actor: AuthenticatedPrincipal,
    question: Omit<AccessRequest, 'principal'> & { principalId: string },
  ): Promise<AccessDecision> {
    const project = typeof question.resource.project === 'string' ? question.resource.project : undefined;
    await this.authorizer.require({
      principal: actor,
      action: 'access.review',
      resource: { type: 'principal', id: question.principalId, ...(project ? { project } : {}) },
    });
    // About oneself, the caller as authenticated (OIDC groups included); otherwise as registered.
    let principal: AuthenticatedPrincipal = actor;
    if (question.principalId !== actor.id) {
      const kind = await this.queries.principalKind(question.principalId);
      if (!kind) throw new NotFound(`principal ${question.principalId} not found`);
      principal = { id: question.principalId, kind };
    }
    return this.authorizer.decide({
      principal,
      action: question.action,
      resource: question.resource,
      ...(question.context ? { context: question.context } : {}),
    });
  }

  private async requireExists(streamId: string, what: string): Promise<void> {
    if ((await this.writeSide.streamVersion(streamId)) === null) throw new NotFound(`${what} does not exist`);
  }

  private ctx(actor: AuthenticatedPrincipal, project?: string) {
    return { actor: actor.id, context: CONTEXT, ...(project && project !== EVERY_PROJECT ? { project } : {}) };
  }
}
