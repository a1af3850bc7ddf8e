import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsSupportedInstant } from '#platform';
import { PRINCIPAL_ID_PATTERN, PROJECT_ID_PATTERN, ROLES } from '../domain/roles.js';

const RFC3339 = { strict: true, strictSeparator: true };

export class CreateProjectDto {
  @ApiProperty({ example: 'payments', description: 'lowercase letters, digits and "-"' })
  @IsString()
  @Matches(PROJECT_ID_PATTERN, { message: 'must be lowercase letters, digits and "-" (at most 63)' })
  id!: string;

  @ApiProperty({ example: 'Payments' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class RegisterPrincipalDto {
  @ApiProperty({ example: 'ci-payments' })
  @IsString()
  @Matches(PRINCIPAL_ID_PATTERN, { message: 'must be lowercase letters, digits and . _ @ - (at most 128)' })
  id!: string;

  @ApiProperty({ enum: ['user', 'pipeline', 'service'] })
  @IsIn(['user', 'pipeline', 'service'])
  kind!: 'user' | 'pipeline' | 'service';

  @ApiProperty({ example: 'Payments CI' })
  @IsString()
  @Length(1, 200)
  displayName!: string;
}

export class IssueTokenDto {
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'RFC 3339; omitted means no expiry' })
  @IsOptional()
  @IsISO8601(RFC3339, { message: 'must be an RFC 3339 date-time' })
  @IsSupportedInstant()
  expiresAt?: string;
}

export class GrantRoleDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, 128)
  principalId!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role!: (typeof ROLES)[number];

  @ApiProperty({ example: 'payments', description: 'project id, or "*" for every project' })
  @IsString()
  @Matches(/^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/, { message: 'must be a project id or "*"' })
  project!: string;

  @ApiProperty({ example: 'joined the payments team' })
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601(RFC3339, { message: 'must be an RFC 3339 date-time' })
  @IsSupportedInstant()
  expiresAt?: string;
}

export class RevokeRoleDto {
  @ApiProperty({ example: 'left the team' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
