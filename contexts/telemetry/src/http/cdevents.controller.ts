import { Controller, HttpException, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Conflict, Invalid } from '#kernel';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { CdEventIngestService } from '../application/cdevent-ingest.service.js';
import { RateLimited } from '../application/ingest-rate-limiter.js';
import { IngestQueryDto } from './telemetry.dto.js';

const EXAMPLE_ACCEPTED = { id: '271069a8-fc18-44f1-b38f-9d70a1695819', source: '/ci/payments', position: 4711 };

@ApiTags('telemetry')
@Controller('v1')
export class CdEventsController {
  constructor(private readonly ingest: CdEventIngestService) {}

  @Post('cdevents')
  @ApiOperation({
    summary: 'Ingest CDEvents (bare JSON, or CloudEvents HTTP binary, structured or batch mode)',
    description:
      'Identity (context.source + context.id) and time come from the CDEvent. The event is filed under the project of the caller’s ' +
      '`pipeline` grant; a caller that may ingest into several projects names one with `?project=`. The same identity with the same ' +
      'content again answers 200 with the first answer (stored once); other content under a used identity is 409. A batch answers ' +
      '200 with one result per entry, in order, each judged alone; error pointers of an entry are relative to that entry. ' +
      'Rate-limited per principal (events per second): 429 with Retry-After.',
  })
  @ApiConsumes('application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json')
  @ApiBody({ schema: { type: 'object', description: 'A CDEvent, a CloudEvent carrying one in `data`, or an array of such CloudEvents' } })
  @ApiResponse({ status: 202, description: 'Recorded', schema: { example: EXAMPLE_ACCEPTED } })
  @ApiOkResponse({
    description: 'Already recorded with the same content (single), or a batch’s results',
    schema: {
      example: {
        results: [
          { status: 202, ...EXAMPLE_ACCEPTED },
          {
            status: 400,
            id: 'e-2',
            source: '/ci/payments',
            errors: [{ pointer: '/data/subject/content/artifactId', message: 'is required' }],
          },
        ],
      },
    },
  })
  @ApiResponse({ status: 400, description: 'Invalid: problem+json listing every violation (JSON Pointers into the body)' })
  @ApiResponse({ status: 409, description: 'A different CDEvent was recorded under this source and id' })
  @ApiResponse({ status: 413, description: 'Body over BODY_LIMIT_BYTES' })
  @ApiResponse({ status: 429, description: 'Ingest rate limit reached; see Retry-After' })
  async post(
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
    @Query() query: IngestQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body: unknown = req.body;
    let outcome;
    try {
      outcome = await this.ingest.ingest({
        principal,
        project: query.project,
        headers: req.headers,
        body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      });
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw new HttpException(error.message, 429);
    }
    if (outcome.batch) {
      res.status(200).json({ results: outcome.results });
      return;
    }
    const result = outcome.results[0]!;
    if ('errors' in result) {
      if (result.status === 400) throw new Invalid('the CDEvent is invalid', result.errors);
      throw new Conflict(result.errors[0]?.message ?? 'conflict');
    }
    res.status(result.status).json({ id: result.id, source: result.source, position: result.position });
  }
}
