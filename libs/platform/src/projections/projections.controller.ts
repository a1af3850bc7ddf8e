import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '#kernel';
import type { Authorizer } from '../auth/authorizer.js';
import { AUTHORIZER } from '../auth/authorizer.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { AuthenticatedPrincipal } from '../auth/principal.js';
import { ProjectionRunner } from './projection-runner.js';

/** Operators inspect read models and rebuild one from the whole log (platform admins only). */
@ApiTags('operations')
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each projection with its checkpoint and last error' })
  @ApiOkResponse({
    schema: { example: { items: [{ name: 'access-control', version: 1, role: 'active', cursor: '812:42', error: null }] } },
  })
  async list(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    await this.requireAdmin(principal);
    return { items: this.runner.status() };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: 'Empty a read model and replay the whole log into it; answers when caught up' })
  async rebuild(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param('name') name: string) {
    await this.requireAdmin(principal);
    if (!this.runner.status().some((s) => s.name === name)) throw new NotFound(`no projection named ${name}`);
    await this.runner.rebuild(name);
    return this.runner.status().find((s) => s.name === name);
  }

  private async requireAdmin(principal: AuthenticatedPrincipal): Promise<void> {
    await this.authorizer.require({ principal, action: 'projection.rebuild', resource: { type: 'project', project: '*' } });
  }
}
