import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '#kernel';
import { NotFound } from '#kernel';
import { MessagingRuntime } from '#messaging';
import type { EventRelay } from '#messaging';
import type { Authorizer } from '../auth/authorizer.js';
import { AUTHORIZER } from '../auth/authorizer.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { AuthenticatedPrincipal } from '../auth/principal.js';
import { EVENT_STORE } from '../tokens.js';

/** Operators see the relay and the events it dead-lettered, and publish those again after a fix (platform admins only). */
@ApiTags('admin')
@Controller('v1/admin/relay')
export class RelayController {
  constructor(
    private readonly messaging: MessagingRuntime,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The relay of this app with the events it dead-lettered',
    description:
      'An event no integration message can be made of (its mapper or encoding throws) is set aside with its error; the relay goes on.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        role: 'active',
        cursor: '812:42',
        lag: 0,
        published: 1200,
        error: null,
        deadLettered: [
          { cursor: '790:17', eventId: '5f0c…', streamId: 'grant-…', type: 'RoleGranted', error: 'TypeError: …', attempts: 1 },
        ],
      },
    },
  })
  @ApiForbiddenResponse({ description: 'the caller is not platform-admin on every project' })
  async status(@CurrentPrincipal() actor: AuthenticatedPrincipal) {
    await this.requireAdmin(actor);
    const relay = this.relay();
    const deadLettered = await relay.quarantined();
    return { ...relay.status(), deadLettered: deadLettered.map(({ subscriber: _, ...event }) => event) };
  }

  @Post('quarantine/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Map and publish the dead-lettered events again, oldest first; those that still fail stay' })
  @ApiOkResponse({ schema: { example: { replayed: 1, remaining: [] } } })
  async replay(@CurrentPrincipal() actor: AuthenticatedPrincipal) {
    await this.requireAdmin(actor);
    const { replayed, remaining } = await this.relay().replayQuarantined(this.store);
    return { replayed, remaining: remaining.map(({ subscriber: _, ...event }) => event) };
  }

  private relay(): EventRelay {
    if (!this.messaging.relay) throw new NotFound('this app runs no relay');
    return this.messaging.relay;
  }

  private async requireAdmin(actor: AuthenticatedPrincipal): Promise<void> {
    await this.authorizer.require({ principal: actor, action: 'platform.admin', resource: { type: 'project', project: '*' } });
  }
}
