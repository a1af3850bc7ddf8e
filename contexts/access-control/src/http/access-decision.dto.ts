import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';

/** `resource` and `context` carry free attributes, checked by the controller. */
export class AccessDecisionRequestDto {
  @ApiProperty({ example: 'bob' })
  @IsString()
  @Length(1, 128)
  principalId!: string;

  @ApiProperty({ example: 'deployment.approve' })
  @IsString()
  @Matches(/^[a-z][a-z-]*(\.[a-z][a-z-]*)+$/, { message: 'must be an action such as deployment.approve' })
  action!: string;

  @ApiProperty({
    example: { type: 'deployment', id: 'd-42', project: 'payments', requestedBy: 'alice', triggeredBy: 'ci-payments', approvers: [] },
    description: 'type, id, project, and attributes the policies use (authorId, requestedBy, triggeredBy, approvers, classification)',
  })
  @IsObject()
  resource!: Record<string, unknown>;

  @ApiPropertyOptional({ example: { environment: 'production', emergencyApproved: false } })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;
}
