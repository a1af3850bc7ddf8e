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
  @ApiOperation({ summary: 'Liveness and readiness: 200 when every dependency answers, 503 otherwise' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { eventStore: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; `checks` names it' })
  async health(@Res() response: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.all().map(async (c) => {
        try {
          const details = await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          return [c.name, { status: 'up', ...(details ?? {}) }] as const;
        } catch (error) {
          return [c.name, { status: 'down', error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r.status === 'up');
    response
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) as Record<string, unknown> });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
