import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '#kernel';
import { NotFound } from '#kernel';
import type { AuthenticatedPrincipal } from '#platform';
import { CLOCK, generateToken, hashToken, ID_GENERATOR, WriteSide } from '#platform';
import type { PrincipalKind } from '../domain/principal.decider.js';
import { principalDecider, principalStreamId } from '../domain/principal.decider.js';
import { projectDecider, projectStreamId } from '../domain/project.decider.js';
import type { Role } from '../domain/roles.js';
import { EVERY_PROJECT } from '../domain/roles.js';
import { roleGrantDecider, roleGrantStreamId } from '../domain/role-grant.decider.js';
import { AccessPolicy } from './access-policy.js';

const CONTEXT = 'access-control';

/** Command handlers of Access Control: check the caller, then run the decider. */
@Injectable()
export class AccessControlService {
  constructor(
    private readonly writeSide: WriteSide,
    private readonly policy: AccessPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async createProject(actor: AuthenticatedPrincipal, projectId: string, name: string): Promise<void> {
    await this.policy.requirePlatformAdmin(actor, EVERY_PROJECT, 'creating a project');
    await this.writeSide.execute(projectStreamId(projectId), projectDecider, { type: 'CreateProject', projectId, name }, this.ctx(actor, projectId));
  }

  async registerPrincipal(actor: AuthenticatedPrincipal, principalId: string, kind: PrincipalKind, displayName: string): Promise<void> {
    await this.policy.requirePlatformAdmin(actor, EVERY_PROJECT, 'registering a principal');
    await this.writeSide.execute(
      principalStreamId(principalId),
      principalDecider,
      { type: 'RegisterPrincipal', principalId, kind, displayName },
      this.ctx(actor),
    );
  }

  /** Returns the token once; only its hash is stored. */
  async issueToken(actor: AuthenticatedPrincipal, principalId: string, expiresAt: string | null): Promise<{ id: string; token: string }> {
    await this.policy.requireSelfOrAdmin(actor, principalId, 'issuing a token for another principal');
    const token = generateToken();
    const tokenId = this.ids.next();
    await this.writeSide.execute(
      principalStreamId(principalId),
      principalDecider,
      { type: 'IssueToken', tokenId, tokenHash: hashToken(token), expiresAt, now: this.clock.now().toISOString() },
      this.ctx(actor),
    );
    return { id: tokenId, token };
  }

  async revokeToken(actor: AuthenticatedPrincipal, principalId: string, tokenId: string): Promise<void> {
    await this.policy.requireSelfOrAdmin(actor, principalId, "revoking another principal's token");
    await this.writeSide.execute(principalStreamId(principalId), principalDecider, { type: 'RevokeToken', tokenId }, this.ctx(actor));
  }

  async grantRole(
    actor: AuthenticatedPrincipal,
    grant: { principalId: string; role: Role; project: string; reason: string; expiresAt: string | null },
  ): Promise<{ id: string }> {
    await this.policy.requirePlatformAdmin(actor, grant.project, 'granting a role');
    await this.requireExists(principalStreamId(grant.principalId), `principal ${grant.principalId}`);
    if (grant.project !== EVERY_PROJECT) await this.requireExists(projectStreamId(grant.project), `project ${grant.project}`);
    const grantId = this.ids.next();
    await this.writeSide.execute(
      roleGrantStreamId(grantId),
      roleGrantDecider,
      { type: 'GrantRole', grantId, ...grant, grantedBy: actor.id, now: this.clock.now().toISOString() },
      this.ctx(actor, grant.project),
    );
    return { id: grantId };
  }

  async revokeRole(actor: AuthenticatedPrincipal, grantId: string, reason: string): Promise<void> {
    const { state } = await this.writeSide.load(roleGrantStreamId(grantId), roleGrantDecider);
    if (state.status === 'None') throw new NotFound(`role grant ${grantId} not found`);
    await this.policy.requirePlatformAdmin(actor, state.project, 'revoking a role');
    await this.writeSide.execute(
      roleGrantStreamId(grantId),
      roleGrantDecider,
      { type: 'RevokeRoleGrant', reason, revokedBy: actor.id },
      this.ctx(actor, state.project),
    );
  }

  async requireSelfOrAdmin(actor: AuthenticatedPrincipal, principalId: string): Promise<void> {
    await this.policy.requireSelfOrAdmin(actor, principalId, "reading another principal's tokens");
  }

  private async requireExists(streamId: string, what: string): Promise<void> {
    const { version } = await this.writeSide.load(streamId, { initialState: () => null, evolve: () => null, decide: () => [] });
    if (version === 0) throw new NotFound(`${what} does not exist`);
  }

  private ctx(actor: AuthenticatedPrincipal, project?: string) {
    return { actor: actor.id, context: CONTEXT, ...(project && project !== EVERY_PROJECT ? { project } : {}) };
  }
}
