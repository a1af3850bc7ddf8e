import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '#event-store';
import { SQL_DATABASE } from '#platform';
import { TM } from './telemetry-metrics.projection.js';
import type { DoraTier } from '../domain/dora-tiers.js';
import { changeFailureRateTier, deploymentFrequencyTier, leadTimeTier, recoveryTimeTier } from '../domain/dora-tiers.js';

export interface DoraFilter {
  /** Projects the caller may see (and asked for); null: every project. */
  readonly projects: readonly string[] | null;
  readonly service: string | null;
  /** Lower-case environment ids whose deployments count. */
  readonly environments: readonly string[];
  readonly from: Date;
  readonly to: Date;
}

export interface DoraMetrics {
  readonly deploymentFrequency: { deploymentsPerDay: number | null; tier: DoraTier | null };
  readonly leadTimeForChanges: { medianSeconds: number | null; tier: DoraTier | null; changes: number };
  readonly changeFailureRate: { value: number | null; tier: DoraTier | null; failedDeployments: number };
  readonly failedDeploymentRecoveryTime: { medianSeconds: number | null; tier: DoraTier | null; incidents: number };
  readonly deployments: number;
}

// $1 projects (null: all), $2 service (null: all), $3 environments, $4 from, $5 to.
const DEPLOYMENTS_IN_SCOPE = `
  SELECT d.*, lead(d.deployed_at) OVER (PARTITION BY d.project, d.service, d.environment ORDER BY d.deployed_at, d.stream_id) AS next_at
  FROM ${TM.deployments} d
  WHERE ($1::text[] IS NULL OR d.project = ANY($1::text[])) AND ($2::text IS NULL OR d.service = $2::text)
    AND d.environment = ANY($3::text[])`;

/**
 * A deployment failed when, before the next deployment of its service to its environment, the
 * service was rolled back there, or an incident there named its artifact (or, naming no artifact,
 * its service).
 */
const DEPLOYMENTS = `
WITH scoped AS (${DEPLOYMENTS_IN_SCOPE})
SELECT count(*)::int AS deployments,
  count(*) FILTER (WHERE
    EXISTS (SELECT 1 FROM ${TM.rollbacks} r WHERE r.project = s.project AND r.service = s.service AND r.environment = s.environment
            AND r.rolled_back_at >= s.deployed_at AND (s.next_at IS NULL OR r.rolled_back_at < s.next_at))
    OR EXISTS (SELECT 1 FROM ${TM.incidents} i WHERE i.project = s.project AND i.environment = s.environment
            AND i.detected_at >= s.deployed_at AND (s.next_at IS NULL OR i.detected_at < s.next_at)
            AND (i.artifact_id = s.artifact_id OR (i.artifact_id IS NULL AND i.service = s.service)))
  )::int AS failed
FROM scoped s WHERE s.deployed_at >= $4 AND s.deployed_at < $5`;

/**
 * Lead time of a change: from its merge to the first deployment in scope of an artifact packaged
 * from it (artifact.packaged names the change; service.deployed names the artifact). Changes
 * count in the window of that deployment.
 */
const LEAD_TIME = `
WITH scoped AS (${DEPLOYMENTS_IN_SCOPE}),
first_deployment AS (
  SELECT a.project, a.change_id, min(s.deployed_at) AS deployed_at
  FROM scoped s JOIN ${TM.artifacts} a ON a.project = s.project AND a.artifact_id = s.artifact_id
  WHERE a.change_id IS NOT NULL GROUP BY a.project, a.change_id)
SELECT count(*)::int AS changes,
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.deployed_at - c.merged_at)))::float8 AS median
FROM first_deployment f JOIN ${TM.changes} c ON c.project = f.project AND c.change_id = f.change_id
WHERE c.merged_at IS NOT NULL AND f.deployed_at >= c.merged_at AND f.deployed_at >= $4 AND f.deployed_at < $5`;

/** Time from an incident's detection to its resolution, for incidents resolved in the window. */
const RECOVERY = `
SELECT count(*)::int AS incidents,
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.resolved_at - i.detected_at)))::float8 AS median
FROM ${TM.incidents} i
WHERE ($1::text[] IS NULL OR i.project = ANY($1::text[])) AND ($2::text IS NULL OR i.service = $2::text)
  AND i.environment = ANY($3::text[]) AND i.detected_at IS NOT NULL AND i.resolved_at >= i.detected_at
  AND i.resolved_at >= $4 AND i.resolved_at < $5`;

const DAY_MS = 24 * 3600 * 1000;

/** DORA's four keys over the telemetry read model, filtered in SQL to what the caller may see. */
@Injectable()
export class DoraQueries {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async metrics(filter: DoraFilter): Promise<DoraMetrics> {
    const params = [filter.projects, filter.service, filter.environments, filter.from.toISOString(), filter.to.toISOString()];
    const [deployments] = await this.db.query<{ deployments: number; failed: number }>(DEPLOYMENTS, params);
    const [lead] = await this.db.query<{ changes: number; median: number | null }>(LEAD_TIME, params);
    const [recovery] = await this.db.query<{ incidents: number; median: number | null }>(RECOVERY, params);
    const count = deployments?.deployments ?? 0;
    const failed = deployments?.failed ?? 0;
    const perDay = count > 0 ? count / ((filter.to.getTime() - filter.from.getTime()) / DAY_MS) : null;
    const failureRate = count > 0 ? failed / count : null;
    const leadMedian = lead?.median ?? null;
    const recoveryMedian = recovery?.median ?? null;
    return {
      deploymentFrequency: { deploymentsPerDay: perDay, tier: deploymentFrequencyTier(perDay) },
      leadTimeForChanges: { medianSeconds: leadMedian, tier: leadTimeTier(leadMedian), changes: lead?.changes ?? 0 },
      changeFailureRate: { value: failureRate, tier: changeFailureRateTier(failureRate), failedDeployments: failed },
      failedDeploymentRecoveryTime: {
        medianSeconds: recoveryMedian,
        tier: recoveryTimeTier(recoveryMedian),
        incidents: recovery?.incidents ?? 0,
      },
      deployments: count,
    };
  }
}
