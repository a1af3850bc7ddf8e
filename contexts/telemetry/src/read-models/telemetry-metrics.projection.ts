import type { RecordedEvent } from '#kernel';
import type { Projection } from '#platform';
import { readModelTables } from '#platform';
import type { SqlExecutor } from '#event-store';
import type { CdEventRecorded } from '../domain/cdevent-record.decider.js';
import type { CdEventFact } from './cdevent-facts.js';
import { factOf } from './cdevent-facts.js';

export const TELEMETRY_READ_MODEL = 'telemetry-metrics';
/** Bump on any change to the tables below or to what the projection writes: the runner rebuilds the new version from the log. */
export const TELEMETRY_READ_MODEL_VERSION = 1;
/** The tables of the version in use, for the projection and its queries. */
export const TM = readModelTables(TELEMETRY_READ_MODEL, TELEMETRY_READ_MODEL_VERSION, [
  'deployments',
  'rollbacks',
  'incidents',
  'changes',
  'artifacts',
  'runs',
  'test_cases',
]);

/**
 * Facts for DORA and pipeline metrics, one table per kind of thing CDEvents describe, keyed per
 * project. Where several events describe one thing (a run started then finished, an incident
 * detected then resolved) the earliest time of each phase wins, so late or reordered sends do
 * not move the numbers. A batch is applied with one statement per table; the rows come out the
 * same however the log is cut into batches, so a rebuild from zero gives the same numbers.
 */
export class TelemetryMetricsProjection implements Projection {
  readonly name = TELEMETRY_READ_MODEL;
  readonly eventTypes = ['CdEventRecorded'];
  readonly version = TELEMETRY_READ_MODEL_VERSION;
  readonly schema = `
    CREATE TABLE ${TM.deployments} (
      stream_id text PRIMARY KEY, project text NOT NULL, service text NOT NULL, environment text NOT NULL,
      artifact_id text NOT NULL, action text NOT NULL, deployed_at timestamptz NOT NULL);
    CREATE INDEX deployments_service ON ${TM.deployments} (project, service, environment, deployed_at);
    CREATE INDEX deployments_artifact ON ${TM.deployments} (project, artifact_id);
    CREATE TABLE ${TM.rollbacks} (
      stream_id text PRIMARY KEY, project text NOT NULL, service text NOT NULL, environment text NOT NULL,
      artifact_id text NOT NULL, rolled_back_at timestamptz NOT NULL);
    CREATE INDEX rollbacks_service ON ${TM.rollbacks} (project, service, environment, rolled_back_at);
    CREATE TABLE ${TM.incidents} (
      project text NOT NULL, incident_id text NOT NULL, environment text NOT NULL, service text, artifact_id text,
      detected_at timestamptz, resolved_at timestamptz, PRIMARY KEY (project, incident_id));
    CREATE TABLE ${TM.changes} (
      project text NOT NULL, change_id text NOT NULL, repository text, created_at timestamptz, first_reviewed_at timestamptz,
      merged_at timestamptz, abandoned_at timestamptz, PRIMARY KEY (project, change_id));
    CREATE TABLE ${TM.artifacts} (
      project text NOT NULL, artifact_id text NOT NULL, change_id text, packaged_at timestamptz, signed_at timestamptz,
      published_at timestamptz, has_sbom boolean NOT NULL DEFAULT false, PRIMARY KEY (project, artifact_id));
    CREATE TABLE ${TM.runs} (
      project text NOT NULL, kind text NOT NULL, source text NOT NULL, run_id text NOT NULL, name text,
      queued_at timestamptz, started_at timestamptz, finished_at timestamptz, outcome text,
      PRIMARY KEY (project, kind, source, run_id));
    CREATE INDEX runs_finished ON ${TM.runs} (project, kind, finished_at);
    CREATE TABLE ${TM.test_cases} (
      stream_id text PRIMARY KEY, project text NOT NULL, source text NOT NULL, run_id text NOT NULL, test_case_id text NOT NULL,
      test_case_name text, suite_run_id text, chain_id text, outcome text NOT NULL, finished_at timestamptz NOT NULL);
    CREATE INDEX test_cases_suite ON ${TM.test_cases} (project, suite_run_id);
    CREATE INDEX test_cases_finished ON ${TM.test_cases} (project, finished_at);`;

  async apply(tx: SqlExecutor, event: RecordedEvent): Promise<void> {
    await this.applyBatch(tx, [event]);
  }

  /** Folds the batch per row in memory the way the upserts below fold rows, then one statement per table. */
  async applyBatch(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const rows = new FactRows();
    for (const recorded of events) {
      if (recorded.type !== 'CdEventRecorded' || recorded.metadata.context !== 'telemetry') continue;
      const data = (recorded as unknown as RecordedEvent<CdEventRecorded>).data;
      const fact = factOf(data);
      if (fact) rows.add(data.project, recorded.streamId, fact);
    }
    await rows.write(tx);
  }
}

type Time = string | null;
/** LEAST of PostgreSQL: nulls ignored; ISO-8601 UTC strings of one format compare as text. */
const least = (a: Time, b: Time): Time => (a === null ? b : b === null ? a : a <= b ? a : b);

interface IncidentRow {
  project: string;
  incidentId: string;
  environment: string;
  service: string | null;
  artifactId: string | null;
  detected: Time;
  resolved: Time;
}
interface ChangeRow {
  project: string;
  changeId: string;
  repository: string | null;
  created: Time;
  reviewed: Time;
  merged: Time;
  abandoned: Time;
}
interface ArtifactRow {
  project: string;
  artifactId: string;
  changeId: string | null;
  packaged: Time;
  signed: Time;
  published: Time;
  hasSbom: boolean;
}
interface RunRow {
  project: string;
  kind: string;
  source: string;
  runId: string;
  name: string | null;
  queued: Time;
  started: Time;
  finished: Time;
  outcome: string | null;
}

/** Rows of one batch; rows of the same key are merged exactly as the ON CONFLICT clauses merge them. */
class FactRows {
  private readonly deployments = new Map<string, unknown[]>();
  private readonly rollbacks = new Map<string, unknown[]>();
  private readonly testCases = new Map<string, unknown[]>();
  private readonly incidents = new Map<string, IncidentRow>();
  private readonly changes = new Map<string, ChangeRow>();
  private readonly artifacts = new Map<string, ArtifactRow>();
  private readonly runs = new Map<string, RunRow>();

  add(project: string, streamId: string, fact: CdEventFact): void {
    switch (fact.kind) {
      case 'deployment':
        if (!this.deployments.has(streamId))
          this.deployments.set(streamId, [streamId, project, fact.service, fact.environment, fact.artifactId, fact.action, fact.at]);
        return;
      case 'rollback':
        if (!this.rollbacks.has(streamId))
          this.rollbacks.set(streamId, [streamId, project, fact.service, fact.environment, fact.artifactId, fact.at]);
        return;
      case 'test-case':
        if (!this.testCases.has(streamId)) {
          this.testCases.set(streamId, [
            streamId,
            project,
            fact.source,
            fact.runId,
            fact.testCaseId,
            fact.testCaseName,
            fact.suiteRunId,
            fact.chainId,
            fact.outcome,
            fact.at,
          ]);
        }
        return;
      case 'incident': {
        const row: IncidentRow = {
          project,
          incidentId: fact.incidentId,
          environment: fact.environment,
          service: fact.service,
          artifactId: fact.artifactId,
          detected: fact.phase === 'resolved' ? null : fact.at,
          resolved: fact.phase === 'resolved' ? fact.at : null,
        };
        merge(this.incidents, `${project}\n${fact.incidentId}`, row, (r, f) => ({
          ...r,
          environment: r.detected === null && f.detected !== null ? f.environment : r.environment,
          service: r.service ?? f.service,
          artifactId: r.artifactId ?? f.artifactId,
          detected: least(r.detected, f.detected),
          resolved: least(r.resolved, f.resolved),
        }));
        return;
      }
      case 'change': {
        const at = (phase: string) => (fact.phase === phase ? fact.at : null);
        const row: ChangeRow = {
          project,
          changeId: fact.changeId,
          repository: fact.repository,
          created: at('created'),
          reviewed: at('reviewed'),
          merged: at('merged'),
          abandoned: at('abandoned'),
        };
        merge(this.changes, `${project}\n${fact.changeId}`, row, (r, f) => ({
          ...r,
          repository: r.repository ?? f.repository,
          created: least(r.created, f.created),
          reviewed: least(r.reviewed, f.reviewed),
          merged: least(r.merged, f.merged),
          abandoned: least(r.abandoned, f.abandoned),
        }));
        return;
      }
      case 'artifact': {
        const at = (phase: string) => (fact.phase === phase ? fact.at : null);
        const row: ArtifactRow = {
          project,
          artifactId: fact.artifactId,
          changeId: fact.changeId,
          packaged: at('packaged'),
          signed: at('signed'),
          published: at('published'),
          hasSbom: fact.hasSbom,
        };
        merge(this.artifacts, `${project}\n${fact.artifactId}`, row, (r, f) => ({
          ...r,
          changeId: r.changeId ?? f.changeId,
          hasSbom: r.hasSbom || f.hasSbom,
          packaged: least(r.packaged, f.packaged),
          signed: least(r.signed, f.signed),
          published: least(r.published, f.published),
        }));
        return;
      }
      case 'run': {
        const at = (phase: string) => (fact.phase === phase ? fact.at : null);
        const row: RunRow = {
          project,
          kind: fact.runKind,
          source: fact.source,
          runId: fact.runId,
          name: fact.name,
          queued: at('queued'),
          started: at('started'),
          finished: at('finished'),
          outcome: fact.outcome,
        };
        merge(this.runs, `${project}\n${fact.runKind}\n${fact.source}\n${fact.runId}`, row, (r, f) => ({
          ...r,
          name: r.name ?? f.name,
          outcome: f.finished !== null && (r.finished === null || f.finished < r.finished) ? f.outcome : r.outcome,
          queued: least(r.queued, f.queued),
          started: least(r.started, f.started),
          finished: least(r.finished, f.finished),
        }));
        return;
      }
    }
  }

  async write(tx: SqlExecutor): Promise<void> {
    if (this.deployments.size > 0) {
      await tx.query(
        `INSERT INTO ${TM.deployments} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         ON CONFLICT DO NOTHING`,
        columns([...this.deployments.values()], 7),
      );
    }
    if (this.rollbacks.size > 0) {
      await tx.query(
        `INSERT INTO ${TM.rollbacks} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         ON CONFLICT DO NOTHING`,
        columns([...this.rollbacks.values()], 6),
      );
    }
    if (this.testCases.size > 0) {
      await tx.query(
        `INSERT INTO ${TM.test_cases} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
           $9::text[], $10::timestamptz[]) ON CONFLICT DO NOTHING`,
        columns([...this.testCases.values()], 10),
      );
    }
    if (this.incidents.size > 0) {
      const rows = [...this.incidents.values()].map((r) => [
        r.project,
        r.incidentId,
        r.environment,
        r.service,
        r.artifactId,
        r.detected,
        r.resolved,
      ]);
      await tx.query(
        `INSERT INTO ${TM.incidents} AS i SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
         ON CONFLICT (project, incident_id) DO UPDATE SET
           environment = CASE WHEN i.detected_at IS NULL AND EXCLUDED.detected_at IS NOT NULL THEN EXCLUDED.environment ELSE i.environment END,
           service = coalesce(i.service, EXCLUDED.service), artifact_id = coalesce(i.artifact_id, EXCLUDED.artifact_id),
           detected_at = least(i.detected_at, EXCLUDED.detected_at), resolved_at = least(i.resolved_at, EXCLUDED.resolved_at)`,
        columns(rows, 7),
      );
    }
    if (this.changes.size > 0) {
      const rows = [...this.changes.values()].map((r) => [
        r.project,
        r.changeId,
        r.repository,
        r.created,
        r.reviewed,
        r.merged,
        r.abandoned,
      ]);
      await tx.query(
        `INSERT INTO ${TM.changes} AS c SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
         ON CONFLICT (project, change_id) DO UPDATE SET repository = coalesce(c.repository, EXCLUDED.repository),
           created_at = least(c.created_at, EXCLUDED.created_at), first_reviewed_at = least(c.first_reviewed_at, EXCLUDED.first_reviewed_at),
           merged_at = least(c.merged_at, EXCLUDED.merged_at), abandoned_at = least(c.abandoned_at, EXCLUDED.abandoned_at)`,
        columns(rows, 7),
      );
    }
    if (this.artifacts.size > 0) {
      const rows = [...this.artifacts.values()].map((r) => [
        r.project,
        r.artifactId,
        r.changeId,
        r.packaged,
        r.signed,
        r.published,
        r.hasSbom,
      ]);
      await tx.query(
        `INSERT INTO ${TM.artifacts} AS a SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::boolean[])
         ON CONFLICT (project, artifact_id) DO UPDATE SET change_id = coalesce(a.change_id, EXCLUDED.change_id), has_sbom = a.has_sbom OR EXCLUDED.has_sbom,
           packaged_at = least(a.packaged_at, EXCLUDED.packaged_at), signed_at = least(a.signed_at, EXCLUDED.signed_at),
           published_at = least(a.published_at, EXCLUDED.published_at)`,
        columns(rows, 7),
      );
    }
    if (this.runs.size > 0) {
      const rows = [...this.runs.values()].map((r) => [
        r.project,
        r.kind,
        r.source,
        r.runId,
        r.name,
        r.queued,
        r.started,
        r.finished,
        r.outcome,
      ]);
      await tx.query(
        `INSERT INTO ${TM.runs} AS r SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
           $8::timestamptz[], $9::text[])
         ON CONFLICT (project, kind, source, run_id) DO UPDATE SET name = coalesce(r.name, EXCLUDED.name),
           outcome = CASE WHEN EXCLUDED.finished_at IS NOT NULL AND (r.finished_at IS NULL OR EXCLUDED.finished_at < r.finished_at)
                          THEN EXCLUDED.outcome ELSE r.outcome END,
           queued_at = least(r.queued_at, EXCLUDED.queued_at), started_at = least(r.started_at, EXCLUDED.started_at),
           finished_at = least(r.finished_at, EXCLUDED.finished_at)`,
        columns(rows, 9),
      );
    }
  }
}

function merge<Row>(rows: Map<string, Row>, key: string, row: Row, fold: (current: Row, next: Row) => Row): void {
  const current = rows.get(key);
  rows.set(key, current === undefined ? row : fold(current, row));
}

/** Rows to one array per column, for INSERT … SELECT * FROM unnest(…). */
function columns(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, c) => rows.map((row) => row[c] ?? null));
}
