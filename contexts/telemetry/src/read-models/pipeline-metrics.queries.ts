import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '#event-store';
import { SQL_DATABASE } from '#platform';
import { TM } from './telemetry-metrics.projection.js';
import type { RunKind } from './cdevent-facts.js';

export interface PipelineMetricsFilter {
  /** Projects the caller may see (and asked for); null: every project. */
  readonly projects: readonly string[] | null;
  readonly from: Date;
  readonly to: Date;
}

export interface Durations {
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
}

export interface RunGroup extends Durations {
  readonly name: string | null;
  readonly runs: number;
  readonly failed: number;
  readonly failureRate: number | null;
}

export interface RunSummary extends Durations {
  readonly runs: number;
  readonly failed: number;
  readonly failureRate: number | null;
  readonly byName: RunGroup[];
}

export interface PipelineMetrics {
  readonly pipelineRuns: RunSummary;
  readonly taskRuns: RunSummary;
  readonly builds: RunSummary;
  readonly testSuites: RunSummary & { medianSize: number | null; bySuite: (RunGroup & { testCases: number })[] };
  readonly testCases: { runs: number; failed: number; skipped: number; failureRate: number | null; flaky: FlakyTest[] };
  readonly changeReview: { merged: number; timeToFirstReview: Durations; timeToMerge: Durations; reviewToMerge: Durations };
  readonly rollbacks: { count: number; perDay: number };
  readonly incidents: { detected: number; resolved: number; perDay: number };
  readonly sbom: { artifacts: number; withSbom: number; share: number | null };
}

export interface FlakyTest {
  readonly project: string;
  readonly testCaseId: string;
  readonly name: string | null;
  /** The CDEvents chain (one change's way through the pipeline) in which it both passed and failed. */
  readonly chainId: string;
  readonly passed: number;
  readonly failed: number;
}

const IN_SCOPE = (alias: string) => `($1::text[] IS NULL OR ${alias}.project = ANY($1::text[]))`;
const SECONDS = (from: string, to: string) => `CASE WHEN ${from} <= ${to} THEN extract(epoch FROM ${to} - ${from}) END`;
const MEDIAN = (expr: string) => `(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}))::float8`;
const P90 = (expr: string) => `(percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expr}))::float8`;
const FAILED = `count(*) FILTER (WHERE outcome IN ('failure', 'error'))::int`;
const RUN_DURATION = SECONDS('r.started_at', 'r.finished_at');

// Runs count in the window of their end; durations need a start too.
const RUNS = `
WITH runs AS (
  SELECT r.kind, r.name, r.outcome, ${RUN_DURATION} AS duration,
    CASE WHEN r.kind = 'test-suite' THEN (SELECT count(DISTINCT t.test_case_id) FROM ${TM.test_cases} t
      WHERE t.project = r.project AND t.suite_run_id = r.run_id) END AS size
  FROM ${TM.runs} r WHERE ${IN_SCOPE('r')} AND r.finished_at >= $2 AND r.finished_at < $3)
SELECT kind, name, count(*)::int AS runs, ${FAILED} AS failed, ${MEDIAN('duration')} AS median, ${P90('duration')} AS p90,
  max(size)::int AS size, ${MEDIAN('size')} AS median_size, GROUPING(name) = 1 AS total
FROM runs GROUP BY GROUPING SETS ((kind), (kind, name)) ORDER BY kind, total DESC, runs DESC, name`;

const TEST_CASES = `
SELECT count(*) FILTER (WHERE outcome <> 'skipped')::int AS runs, ${FAILED} AS failed,
  count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped
FROM ${TM.test_cases} t WHERE ${IN_SCOPE('t')} AND t.finished_at >= $2 AND t.finished_at < $3`;

/** One test case both passing and failing within one chain (the same change or artifact). */
const FLAKY = `
SELECT t.project, t.test_case_id, min(t.test_case_name) AS name, t.chain_id,
  count(*) FILTER (WHERE outcome = 'success')::int AS passed, ${FAILED} AS failed
FROM ${TM.test_cases} t WHERE ${IN_SCOPE('t')} AND t.finished_at >= $2 AND t.finished_at < $3 AND t.chain_id IS NOT NULL
GROUP BY t.project, t.test_case_id, t.chain_id
HAVING count(*) FILTER (WHERE outcome = 'success') > 0 AND count(*) FILTER (WHERE outcome IN ('failure', 'error')) > 0
ORDER BY t.project, t.test_case_id, t.chain_id`;

const CHANGE_REVIEW = `
SELECT count(*)::int AS merged,
  ${MEDIAN(SECONDS('c.created_at', 'c.first_reviewed_at'))} AS first_review_median, ${P90(SECONDS('c.created_at', 'c.first_reviewed_at'))} AS first_review_p90,
  ${MEDIAN(SECONDS('c.created_at', 'c.merged_at'))} AS merge_median, ${P90(SECONDS('c.created_at', 'c.merged_at'))} AS merge_p90,
  ${MEDIAN(SECONDS('c.first_reviewed_at', 'c.merged_at'))} AS review_merge_median, ${P90(SECONDS('c.first_reviewed_at', 'c.merged_at'))} AS review_merge_p90
FROM ${TM.changes} c WHERE ${IN_SCOPE('c')} AND c.merged_at >= $2 AND c.merged_at < $3`;

const OPERATIONS = `
SELECT
  (SELECT count(*) FROM ${TM.rollbacks} r WHERE ${IN_SCOPE('r')} AND r.rolled_back_at >= $2 AND r.rolled_back_at < $3)::int AS rollbacks,
  (SELECT count(*) FROM ${TM.incidents} i WHERE ${IN_SCOPE('i')} AND i.detected_at >= $2 AND i.detected_at < $3)::int AS detected,
  (SELECT count(*) FROM ${TM.incidents} i WHERE ${IN_SCOPE('i')} AND i.resolved_at >= $2 AND i.resolved_at < $3)::int AS resolved,
  (SELECT count(*) FROM ${TM.artifacts} a WHERE ${IN_SCOPE('a')} AND a.packaged_at >= $2 AND a.packaged_at < $3)::int AS artifacts,
  (SELECT count(*) FROM ${TM.artifacts} a WHERE ${IN_SCOPE('a')} AND a.packaged_at >= $2 AND a.packaged_at < $3 AND a.has_sbom)::int AS with_sbom`;

interface RunRow {
  kind: RunKind;
  name: string | null;
  runs: number;
  failed: number;
  median: number | null;
  p90: number | null;
  size: number | null;
  median_size: number | null;
  total: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const EMPTY_RUNS: RunSummary = { runs: 0, failed: 0, failureRate: null, medianSeconds: null, p90Seconds: null, byName: [] };

/** Pipeline, task, build and test figures, change review times and operations counts. */
@Injectable()
export class PipelineMetricsQueries {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async metrics(filter: PipelineMetricsFilter): Promise<PipelineMetrics> {
    const params = [filter.projects, filter.from.toISOString(), filter.to.toISOString()];
    const runs = await this.db.query<RunRow>(RUNS, params);
    const [cases] = await this.db.query<{ runs: number; failed: number; skipped: number }>(TEST_CASES, params);
    const flaky = await this.db.query<{
      project: string;
      test_case_id: string;
      name: string | null;
      chain_id: string;
      passed: number;
      failed: number;
    }>(FLAKY, params);
    const [review] = await this.db.query<Record<string, number | null> & { merged: number }>(CHANGE_REVIEW, params);
    const [ops] = await this.db.query<{ rollbacks: number; detected: number; resolved: number; artifacts: number; with_sbom: number }>(
      OPERATIONS,
      params,
    );
    const days = (filter.to.getTime() - filter.from.getTime()) / DAY_MS;

    const summary = (kind: RunKind): RunSummary => {
      const rows = runs.filter((r) => r.kind === kind);
      const total = rows.find((r) => r.total);
      if (!total) return EMPTY_RUNS;
      const { name: _all, ...totals } = group(total);
      return { ...totals, byName: rows.filter((r) => !r.total).map(group) };
    };
    const suites = summary('test-suite');
    const suiteRows = runs.filter((r) => r.kind === 'test-suite');
    const durations = (median: string, p90: string): Durations => ({
      medianSeconds: review?.[median] ?? null,
      p90Seconds: review?.[p90] ?? null,
    });
    return {
      pipelineRuns: summary('pipeline'),
      taskRuns: summary('task'),
      builds: summary('build'),
      testSuites: {
        ...suites,
        medianSize: suiteRows.find((r) => r.total)?.median_size ?? null,
        bySuite: suiteRows.filter((r) => !r.total).map((r) => ({ ...group(r), testCases: r.size ?? 0 })),
      },
      testCases: {
        runs: cases?.runs ?? 0,
        failed: cases?.failed ?? 0,
        skipped: cases?.skipped ?? 0,
        failureRate: rate(cases?.failed ?? 0, cases?.runs ?? 0),
        flaky: flaky.map((f) => ({
          project: f.project,
          testCaseId: f.test_case_id,
          name: f.name,
          chainId: f.chain_id,
          passed: f.passed,
          failed: f.failed,
        })),
      },
      changeReview: {
        merged: review?.merged ?? 0,
        timeToFirstReview: durations('first_review_median', 'first_review_p90'),
        timeToMerge: durations('merge_median', 'merge_p90'),
        reviewToMerge: durations('review_merge_median', 'review_merge_p90'),
      },
      rollbacks: { count: ops?.rollbacks ?? 0, perDay: (ops?.rollbacks ?? 0) / days },
      incidents: { detected: ops?.detected ?? 0, resolved: ops?.resolved ?? 0, perDay: (ops?.detected ?? 0) / days },
      sbom: { artifacts: ops?.artifacts ?? 0, withSbom: ops?.with_sbom ?? 0, share: rate(ops?.with_sbom ?? 0, ops?.artifacts ?? 0) },
    };
  }
}

function group(row: RunRow): RunGroup {
  return {
    name: row.name,
    runs: row.runs,
    failed: row.failed,
    failureRate: rate(row.failed, row.runs),
    medianSeconds: row.median,
    p90Seconds: row.p90,
  };
}
