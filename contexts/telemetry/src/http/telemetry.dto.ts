import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';

const PROJECT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PROJECT_MESSAGE = 'must be a project id (lowercase letters, digits and "-")';
const RFC3339 = { strict: true, strictSeparator: true };
const TIME_MESSAGE = 'must be an RFC 3339 date-time';

export class IngestQueryDto {
  @ApiPropertyOptional({ example: 'payments', description: 'needed when the caller may ingest into several projects' })
  @IsOptional()
  @Matches(PROJECT_ID, { message: PROJECT_MESSAGE })
  project?: string;
}

export class PipelineMetricsQueryDto {
  @ApiPropertyOptional({ example: 'payments', description: 'omitted: every project the caller may read' })
  @IsOptional()
  @Matches(PROJECT_ID, { message: PROJECT_MESSAGE })
  project?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'start (inclusive); default 30 days before `to`' })
  @IsOptional()
  @IsISO8601(RFC3339, { message: TIME_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ example: '2026-02-01T00:00:00Z', description: 'end (exclusive); default now' })
  @IsOptional()
  @IsISO8601(RFC3339, { message: TIME_MESSAGE })
  to?: string;
}

export class DoraQueryDto extends PipelineMetricsQueryDto {
  @ApiPropertyOptional({ example: 'checkout', description: 'service (subject id of service events)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  service?: string;

  @ApiPropertyOptional({ example: 'production', description: 'count this environment instead of the configured production ones' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  environment?: string;
}
