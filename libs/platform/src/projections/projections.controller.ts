import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '#kernel';
import type { Authorizer } from '../auth/authorizer.js';
import { AUTHORIZER } from '../auth/authorizer.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { AuthenticatedPrincipal } from '../auth/principal.js';
import { ProjectionRunner } from './projection-runner.js';

/** How many quarantined events each projection lists inline; the count is always exact. */
const LISTED_QUARANTINE = 100;

/** Operators inspect read models, replay the events they set aside, and rebuild one from the whole log (platform admins only). */
@ApiTags('operations')
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Each projection with its checkpoint, last error and the events it quarantined',
    description:
      'An event a read model cannot apply is quarantined: set aside with its error while the projection goes on. ' +
      '`quarantined` counts them; `quarantine` lists the first 100 in log order.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        items: [
          {
            name: 'telemetry-metrics',
            version: 2,
            role: 'active',
            cursor: '812:42',
            error: null,
            quarantined: 1,
            quarantine: [
              {
                cursor: '790:17',
                eventId: '5f0c…',
                streamId: 'cdevent-…',
                streamVersion: 1,
                type: 'CdEventRecorded',
                error: 'error: date/time field value out of range',
                attempts: 2,
                quarantinedAt: '2026-12-02T10:00:00.000Z',
                lastAttemptAt: '2026-12-02T10:00:00.000Z',
              },
            ],
          },
        ],
      },
    },
  })
  async list(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    await this.requireAdmin(principal);
    const quarantined = await this.runner.quarantined();
    const items = await Promise.all(
      this.runner.status().map(async (status) => {
        const count = quarantined.get(status.name)?.count ?? 0;
        const quarantine = count > 0 ? await this.runner.quarantinedEvents(status.name, LISTED_QUARANTINE) : [];
        return { ...status, quarantined: count, quarantine: quarantine.map(({ subscriber: _, ...event }) => event) };
      }),
    );
    return { items };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: 'Empty a read model and replay the whole log into it; answers when caught up (clears its quarantine)' })
  async rebuild(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param('name') name: string) {
    await this.requireAdmin(principal);
    this.requireKnown(name);
    await this.runner.rebuild(name);
    return this.runner.status().find((s) => s.name === name);
  }

  @Post(':name/quarantine/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Apply the events a read model quarantined again (after a fix), oldest first',
    description: 'Those that still fail stay quarantined with their newest error. For read models that depend on order, rebuild instead.',
  })
  @ApiOkResponse({ schema: { example: { projection: 'telemetry-metrics', replayed: 1, remaining: [] } } })
  async replay(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param('name') name: string) {
    await this.requireAdmin(principal);
    this.requireKnown(name);
    const { replayed, remaining } = await this.runner.replayQuarantined(name);
    return { projection: name, replayed, remaining: remaining.map(({ subscriber: _, ...event }) => event) };
  }

  private requireKnown(name: string): void {
    if (!this.runner.status().some((s) => s.name === name)) throw new NotFound(`no projection named ${name}`);
  }

  private async requireAdmin(principal: AuthenticatedPrincipal): Promise<void> {
    await this.authorizer.require({ principal, action: 'projection.rebuild', resource: { type: 'project', project: '*' } });
  }
}
