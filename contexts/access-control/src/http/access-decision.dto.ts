import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';

const MAX_ATTRIBUTES = 50;
const MAX_ATTRIBUTE_CHARS = 1024;

/** Attributes for the policies: at most 50 members, strings (alone or in arrays) of at most 1,024 characters. */
function BoundedAttributes(): PropertyDecorator {
  const fits = (v: unknown): boolean =>
    typeof v === 'string' ? v.length <= MAX_ATTRIBUTE_CHARS : Array.isArray(v) ? v.length <= MAX_ATTRIBUTES && v.every(fits) : true;
  return ValidateBy({
    name: 'boundedAttributes',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'object' || value === null || (Object.keys(value).length <= MAX_ATTRIBUTES && Object.values(value).every(fits)),
      defaultMessage: () => `must have at most ${MAX_ATTRIBUTES} attributes, each string at most ${MAX_ATTRIBUTE_CHARS} characters`,
    },
  });
}

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
  @BoundedAttributes()
  resource!: Record<string, unknown>;

  @ApiPropertyOptional({ example: { environment: 'production', emergencyApproved: false } })
  @IsOptional()
  @IsObject()
  @BoundedAttributes()
  context?: Record<string, unknown>;
}
