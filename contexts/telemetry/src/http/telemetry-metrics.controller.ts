import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { TelemetryMetricsService } from '../application/telemetry-metrics.service.js';
import { DoraQueryDto, PipelineMetricsQueryDto } from './telemetry.dto.js';

@ApiTags('telemetry')
@Controller('v1/metrics')
export class TelemetryMetricsController {
  constructor(private readonly metrics: TelemetryMetricsService) {}

  @Get('dora')
  @ApiOperation({
    summary: 'DORA metrics with 2023 performance tiers',
    description:
      'Deployments are service.deployed/upgraded events to the configured production environments (PRODUCTION_ENVIRONMENTS) or to ' +
      '`environment`. Lead time: change merged → first deployment of an artifact packaged from it. Change failure rate: deployments ' +
      'followed, before the next deployment of the service there, by a rollback or an incident naming the artifact (or the service). ' +
      'Recovery: incident detected → resolved, for incidents resolved in the window. Durations in seconds, rates from 0 to 1; a metric ' +
      'without data is null. Only projects the caller may read count.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        deploymentFrequency: { deploymentsPerDay: 1.5, tier: 'elite' },
        leadTimeForChanges: { medianSeconds: 7200, tier: 'elite', changes: 12 },
        changeFailureRate: { value: 0.1, tier: 'high', failedDeployments: 3 },
        failedDeploymentRecoveryTime: { medianSeconds: null, tier: null, incidents: 0 },
        deployments: 30,
        project: 'payments',
        service: null,
        environments: ['production', 'prod'],
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-21T00:00:00.000Z',
      },
    },
  })
  async dora(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: DoraQueryDto) {
    return this.metrics.doraMetrics(principal, query);
  }

  @Get('pipelines')
  @ApiOperation({
    summary: 'Pipeline, task, build and test metrics, change review times, rollbacks, incidents and SBOM coverage',
    description:
      'Runs count in the window of their end; durations need their start. Test suite size: distinct test cases reported in a run. ' +
      'A flaky test passed and failed within one CDEvents chain (context.chainId: one change or artifact on its way). SBOM coverage: ' +
      'artifacts packaged in the window whose artifact.packaged or artifact.published names an SBOM.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        project: 'payments',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-31T00:00:00.000Z',
        pipelineRuns: {
          runs: 40,
          failed: 4,
          failureRate: 0.1,
          medianSeconds: 420,
          p90Seconds: 900,
          byName: [{ name: 'build-and-test', runs: 40, failed: 4, failureRate: 0.1, medianSeconds: 420, p90Seconds: 900 }],
        },
        testCases: {
          runs: 1200,
          failed: 12,
          skipped: 3,
          failureRate: 0.01,
          flaky: [{ project: 'payments', testCaseId: 'checkout-spec', name: 'checkout', chainId: 'c-1', passed: 1, failed: 1 }],
        },
        sbom: { artifacts: 10, withSbom: 9, share: 0.9 },
      },
    },
  })
  async pipelines(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: PipelineMetricsQueryDto) {
    return this.metrics.pipelineMetrics(principal, query);
  }
}
