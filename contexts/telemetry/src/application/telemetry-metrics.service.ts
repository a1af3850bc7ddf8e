import { Inject, Injectable } from '@nestjs/common';
import type { TelemetrySettings } from '../telemetry.settings.js';
import { TELEMETRY_SETTINGS } from '../telemetry.settings.js';
import type { Clock } from '#kernel';
import { Invalid } from '#kernel';
import type { AuthenticatedPrincipal, Authorizer } from '#platform';
import { AUTHORIZER, CLOCK } from '#platform';
import { DoraQueries } from '../read-models/dora.queries.js';
import type { DoraMetrics } from '../read-models/dora.queries.js';
import { PipelineMetricsQueries } from '../read-models/pipeline-metrics.queries.js';
import type { PipelineMetrics } from '../read-models/pipeline-metrics.queries.js';
import { IngestWatermark } from './ingest-watermark.js';

const DEFAULT_WINDOW_MS = 30 * 24 * 3600 * 1000;
const READ = 'project.read';

export interface MetricsQuery {
  readonly project?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface Window {
  readonly from: string;
  readonly to: string;
}

/**
 * Metrics over the projects the caller may read: the filter goes into the SQL, so nothing of
 * another project is ever read for the answer. Naming a project one may not read is refused.
 */
@Injectable()
export class TelemetryMetricsService {
  constructor(
    private readonly dora: DoraQueries,
    private readonly pipelines: PipelineMetricsQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TELEMETRY_SETTINGS) private readonly config: TelemetrySettings,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
    private readonly watermark: IngestWatermark,
  ) {}

  async doraMetrics(
    principal: AuthenticatedPrincipal,
    query: MetricsQuery & { service?: string; environment?: string },
  ): Promise<DoraMetrics & Window & { project: string | null; service: string | null; environments: readonly string[] }> {
    const { from, to } = this.window(query);
    const projects = await this.readableProjects(principal, query.project);
    await this.watermark.reached();
    const environments = query.environment !== undefined ? [query.environment.toLowerCase()] : this.config.productionEnvironments;
    const metrics = await this.dora.metrics({ projects, service: query.service ?? null, environments, from, to });
    return {
      ...metrics,
      project: query.project ?? null,
      service: query.service ?? null,
      environments,
      from: from.toISOString(),
      to: to.toISOString(),
    };
  }

  async pipelineMetrics(
    principal: AuthenticatedPrincipal,
    query: MetricsQuery,
  ): Promise<PipelineMetrics & Window & { project: string | null }> {
    const { from, to } = this.window(query);
    const projects = await this.readableProjects(principal, query.project);
    await this.watermark.reached();
    const metrics = await this.pipelines.metrics({ projects, from, to });
    return { project: query.project ?? null, from: from.toISOString(), to: to.toISOString(), ...metrics };
  }

  /** null: every project; otherwise the projects to read (possibly none). */
  private async readableProjects(principal: AuthenticatedPrincipal, requested: string | undefined): Promise<readonly string[] | null> {
    const visible = await this.authorizer.projectsWhere(principal, READ);
    if (requested === undefined) return visible === '*' ? null : visible;
    if (visible !== '*' && !visible.includes(requested)) {
      await this.authorizer.require({ principal, action: READ, resource: { type: 'project', id: requested, project: requested } });
    }
    return [requested];
  }

  private window(query: MetricsQuery): { from: Date; to: Date } {
    const to = query.to !== undefined ? new Date(query.to) : this.clock.now();
    const from = query.from !== undefined ? new Date(query.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
    if (from.getTime() >= to.getTime())
      throw new Invalid('the time window is empty', [{ pointer: '/from', message: 'must be before `to`' }]);
    return { from, to };
  }
}
