import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { dlqTopic } from '#contracts';
import type { Authorizer } from '../auth/authorizer.js';
import { AUTHORIZER } from '../auth/authorizer.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { AuthenticatedPrincipal } from '../auth/principal.js';
import { ReplayDeadLettersDto } from './dead-letter.dto.js';
import { replayDeadLetters, MESSAGE_BUS } from '#messaging';
import type { MessageBus } from '#messaging';

@ApiTags('admin')
@Controller('v1/admin/dead-letters')
export class DeadLetterController {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish dead letters of a topic back to it, oldest first (platform-admin on every project)' })
  @ApiOkResponse({
    schema: { example: { topic: 'access-control.events.v1', deadLetterTopic: 'access-control.events.v1.dlq', replayed: 3 } },
  })
  @ApiForbiddenResponse({ description: 'the caller is not platform-admin on every project' })
  async replay(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Body() dto: ReplayDeadLettersDto) {
    await this.authorizer.require({ principal: actor, action: 'platform.admin', resource: { type: 'project', project: '*' } });
    const replayed = await replayDeadLetters(this.bus, dto.topic, dto.limit ?? 1000);
    return { topic: dto.topic, deadLetterTopic: dlqTopic(dto.topic), replayed };
  }
}
