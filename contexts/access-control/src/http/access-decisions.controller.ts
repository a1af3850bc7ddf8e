import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FieldError } from '#kernel';
import { Invalid } from '#kernel';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { AccessControlService } from '../application/access-control.service.js';
import { AccessDecisionRequestDto } from './access-decision.dto.js';

const PROJECT_OR_ALL = /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

@ApiTags('access-control')
@Controller('v1/access/decisions')
export class AccessDecisionsController {
  constructor(private readonly service: AccessControlService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask the policy decision point whether a principal may take an action (about oneself, or with access.review on the project)',
    description:
      'A refusal is a 200 with allowed: false and the rule that refused. Every denial and every decision on a state-changing action is recorded (AccessAllowed / AccessDenied events in the shape of an OPA decision log).',
  })
  @ApiOkResponse({
    schema: {
      example: {
        allowed: false,
        reasons: ['sod.self-approval: whoever authored a subject or requested its approval may not approve it'],
        decisionId: '4b1e…',
        policyVersion: 'cedar:1f2e3d4c5b6a',
        rule: 'sod.self-approval',
      },
    },
  })
  async decide(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Body() dto: AccessDecisionRequestDto) {
    const { resource, context } = checkAttributes(dto);
    const decision = await this.service.decideFor(actor, {
      principalId: dto.principalId,
      action: dto.action,
      resource,
      ...(context ? { context } : {}),
    });
    return {
      allowed: decision.allowed,
      reasons: decision.reasons,
      decisionId: decision.decisionId,
      policyVersion: decision.policyVersion,
      ...(decision.rule ? { rule: decision.rule } : {}),
    };
  }
}

function checkAttributes(dto: AccessDecisionRequestDto) {
  const errors: FieldError[] = [];
  const r = dto.resource;
  if (typeof r['type'] !== 'string' || !/^[a-z][a-z-]{0,63}$/.test(r['type']))
    errors.push({ pointer: '/resource/type', message: 'must be a resource type such as deployment' });
  if (r['id'] !== undefined && (typeof r['id'] !== 'string' || r['id'].length === 0 || r['id'].length > 500))
    errors.push({ pointer: '/resource/id', message: 'must be a non-empty string' });
  if (r['project'] !== undefined && (typeof r['project'] !== 'string' || !PROJECT_OR_ALL.test(r['project'])))
    errors.push({ pointer: '/resource/project', message: 'must be a project id or "*"' });
  const c = dto.context;
  if (c?.['environment'] !== undefined && typeof c['environment'] !== 'string')
    errors.push({ pointer: '/context/environment', message: 'must be a string' });
  if (c?.['emergencyApproved'] !== undefined && typeof c['emergencyApproved'] !== 'boolean')
    errors.push({ pointer: '/context/emergencyApproved', message: 'must be a boolean' });
  if (errors.length > 0) throw new Invalid('the request body has invalid fields', errors);
  return { resource: r as { type: string; id?: string; project?: string }, context: c };
}
