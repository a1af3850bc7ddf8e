import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ReadinessChecks } from './readiness-checks.js';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly checks: ReadinessChecks) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Liveness and readiness: 200 `ok` or `degraded` while the app serves, 503 when a dependency it needs is down',
    description:
      '`degraded` (still 200: the app serves) means something needs an operator: a read model set an event aside, the relay ' +
      'dead-lettered one, or the audit-log sealer stopped. `checks` says which, and where.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { eventStore: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; `checks` names it' })
  async health(@Res() response: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.all().map(async (c) => {
        try {
          const details = (await withTimeout(c.check(), CHECK_TIMEOUT_MS)) ?? {};
          return [c.name, { ...details, status: details.status ?? 'up' }] as const;
        } catch (error) {
          return [c.name, { status: 'down', error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const states = new Set(results.map(([, r]) => r.status));
    const status = states.has('down') ? 'unavailable' : states.has('degraded') ? 'degraded' : 'ok';
    response.status(status === 'unavailable' ? 503 : 200).json({ status, checks: Object.fromEntries(results) as Record<string, unknown> });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
