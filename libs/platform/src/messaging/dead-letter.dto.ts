import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { TOPICS } from '#contracts';

const KNOWN_TOPICS = Object.values(TOPICS);

export class ReplayDeadLettersDto {
  @ApiProperty({
    example: 'access-control.events.v1',
    enum: KNOWN_TOPICS,
    description: 'the original topic; its dead letters are read from `<topic>.dlq`',
  })
  @IsIn(KNOWN_TOPICS, { message: `must be one of ${KNOWN_TOPICS.join(', ')}` })
  topic!: string;

  @ApiPropertyOptional({ example: 100, description: 'at most this many dead letters (1–10000, default 1000), oldest first' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}
