import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { AccessControlService } from '../application/access-control.service.js';
import { PolicyAuthorizer } from '../application/policy/policy-authorizer.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';
import { CreateProjectDto, GrantRoleDto, IssueTokenDto, RegisterPrincipalDto, RevokeRoleDto } from './access-control.dto.js';

const normalizeTime = (t: string | undefined) => (t ? new Date(t).toISOString() : null);

@ApiTags('access-control')
@Controller('v1')
export class AccessControlController {
  constructor(
    private readonly service: AccessControlService,
    private readonly queries: AccessControlQueries,
    private readonly authorizer: PolicyAuthorizer,
  ) {}

  @Get('projects')
  @ApiOperation({ summary: 'Projects the caller may read' })
  @ApiOkResponse({ schema: { example: { items: [{ id: 'payments', name: 'Payments', createdAt: '2026-01-01T00:00:00.000Z' }] } } })
  async listProjects(@CurrentPrincipal() actor: AuthenticatedPrincipal) {
    return { items: await this.queries.projects(await this.authorizer.projectsWhere(actor, 'project.read')) };
  }

  @Post('projects')
  @ApiOperation({ summary: 'Create a project (platform-admin on every project)' })
  @ApiCreatedResponse({ schema: { example: { id: 'payments', name: 'Payments' } } })
  async createProject(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Body() dto: CreateProjectDto) {
    await this.service.createProject(actor, dto.id, dto.name);
    return { id: dto.id, name: dto.name };
  }

  @Post('principals')
  @ApiOperation({ summary: 'Register a user, pipeline or service principal' })
  @ApiCreatedResponse({ schema: { example: { id: 'ci-payments', kind: 'pipeline', displayName: 'Payments CI' } } })
  async registerPrincipal(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Body() dto: RegisterPrincipalDto) {
    await this.service.registerPrincipal(actor, dto.id, dto.kind, dto.displayName);
    return { id: dto.id, kind: dto.kind, displayName: dto.displayName };
  }

  @Post('principals/:id/tokens')
  @ApiOperation({ summary: 'Issue an API token; the token is shown once and stored only as a hash' })
  @ApiCreatedResponse({ schema: { example: { id: '6f1c…', token: 'clt_…', expiresAt: null } } })
  async issueToken(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Param('id') principalId: string, @Body() dto: IssueTokenDto) {
    const expiresAt = normalizeTime(dto.expiresAt);
    const issued = await this.service.issueToken(actor, principalId, expiresAt);
    return { ...issued, expiresAt };
  }

  @Get('principals/:id/tokens')
  @ApiOperation({ summary: "List a principal's tokens (ids and dates, never the tokens)" })
  @ApiOkResponse({
    schema: { example: { items: [{ id: '6f1c…', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null, revokedAt: null }] } },
  })
  async listTokens(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Param('id') principalId: string) {
    await this.authorizer.require({ principal: actor, action: 'token.read', resource: { type: 'principal', id: principalId } });
    return { items: await this.queries.tokensOf(principalId) };
  }

  @Delete('principals/:id/tokens/:tokenId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token; it stops working at once' })
  @ApiNoContentResponse()
  async revokeToken(
    @CurrentPrincipal() actor: AuthenticatedPrincipal,
    @Param('id') principalId: string,
    @Param('tokenId') tokenId: string,
  ) {
    await this.service.revokeToken(actor, principalId, tokenId);
  }

  @Post('role-grants')
  @ApiOperation({
    summary:
      'Grant a role on a project (or "*"); nobody grants a role to themselves; conflicting role pairs are refused (403 naming the sod.static rule)',
  })
  @ApiCreatedResponse({ schema: { example: { id: '0b7e…' } } })
  @ApiOkResponse({
    description: 'The principal already holds this role on this project with this expiry: the existing grant',
    schema: { example: { id: '0b7e…' } },
  })
  async grantRole(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Body() dto: GrantRoleDto, @Res({ passthrough: true }) res: Response) {
    const { id, created } = await this.service.grantRole(actor, { ...dto, expiresAt: normalizeTime(dto.expiresAt) });
    if (!created) res.status(200);
    return { id };
  }

  @Get('role-grants')
  @ApiOperation({ summary: 'Role grants on the projects the caller may read (revoked and expired ones included)' })
  @ApiQuery({ name: 'principalId', required: false })
  @ApiQuery({ name: 'project', required: false })
  @ApiOkResponse({
    schema: {
      example: {
        items: [
          {
            id: '0b7e…',
            principalId: 'alice',
            role: 'developer',
            project: 'payments',
            reason: 'joined',
            grantedBy: 'admin',
            grantedAt: '2026-01-01T00:00:00.000Z',
            expiresAt: null,
            revokedAt: null,
          },
        ],
      },
    },
  })
  async listGrants(
    @CurrentPrincipal() actor: AuthenticatedPrincipal,
    @Query('principalId') principalId?: string,
    @Query('project') project?: string,
  ) {
    const visible = await this.authorizer.projectsWhere(actor, 'role-grant.read');
    return { items: await this.queries.grants(visible, { ...(principalId ? { principalId } : {}), ...(project ? { project } : {}) }) };
  }

  @Post('role-grants/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a role grant' })
  @ApiOkResponse({ schema: { example: { id: '0b7e…', status: 'revoked' } } })
  async revokeRole(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Param('id') grantId: string, @Body() dto: RevokeRoleDto) {
    await this.service.revokeRole(actor, grantId, dto.reason);
    return { id: grantId, status: 'revoked' };
  }
}
