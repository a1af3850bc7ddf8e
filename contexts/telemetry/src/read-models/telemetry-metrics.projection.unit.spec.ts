import { buildCdEvent, CdEventTypes, type CdEvent } from '#cdevents';
import type { RecordedEvent } from '#kernel';
import type { SqlExecutor } from '#event-store';
import { projectionSpec } from '#testing';
import type { CdEventRecordedData } from '../domain/cdevent-record.decider.js';
import { TelemetryMetricsProjection, TM } from './telemetry-metrics.projection.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

function recorded(event: CdEvent, position: number): RecordedEvent {
  const data: CdEventRecordedData = {
    project: 'payments',
    source: event.context.source,
    id: event.context.id,
    timestamp: event.context.timestamp,
    type: event.context.type,
    rawType: event.context.type,
    specVersion: '0.5.1',
    validated: true,
    binding: 'bare',
    fingerprint: 'f',
    raw: '{}',
    normalized: JSON.stringify(event),
    normalizationNotes: '',
  };
  return {
    position,
    cursor: `1:${position}`,
    eventId: `e-${position}`,
    streamId: `cdevent-${position}`,
    streamVersion: 1,
    type: 'CdEventRecorded',
    data,
    metadata: { actor: 'ci', correlationId: 'c', occurredAt: event.context.timestamp, project: 'payments', context: 'telemetry' },
    recordedAt: event.context.timestamp,
  };
}

/** Events that fold into shared rows, in an order where later sends carry earlier times. */
function history(): RecordedEvent[] {
  const events: CdEvent[] = [];
  for (let i = 0; i < 6; i++) {
    const run = `p${i % 3}`;
    events.push(
      buildCdEvent(CdEventTypes.PipelineRunFinished, {
        source: '/ci',
        timestamp: at(30 - i),
        subject: { id: run, content: { pipelineName: i % 2 ? 'b' : 'a', outcome: i % 2 ? 'failure' : 'success' } },
      }),
    );
    events.push(
      buildCdEvent(CdEventTypes.PipelineRunStarted, {
        source: '/ci',
        timestamp: at(10 - i),
        subject: { id: run, content: { pipelineName: 'a', uri: 'https://ci/x' } },
      }),
    );
    events.push(
      buildCdEvent(i % 2 ? CdEventTypes.IncidentResolved : CdEventTypes.IncidentDetected, {
        source: '/ops',
        timestamp: at(20 + i),
        subject: {
          id: `i${i % 2 ? i - 1 : i}`,
          content: { environment: { id: i % 3 ? 'Production' : 'staging' }, ...(i > 2 ? { service: { id: `s${i}` } } : {}) },
        },
      }),
    );
    events.push(
      buildCdEvent(CdEventTypes.ArtifactPackaged, {
        source: '/ci',
        timestamp: at(40 - i),
        subject: { id: `a${i % 2}`, content: { change: { id: `c${i}` }, ...(i === 4 ? { sbom: { uri: 'https://sbom/1' } } : {}) } },
      }),
    );
    events.push(
      buildCdEvent(CdEventTypes.ChangeReviewed, {
        source: '/scm',
        timestamp: at(50 - i),
        subject: { id: `c${i % 2}`, content: i === 3 ? { repository: { id: 'r' } } : {} },
      }),
    );
    events.push(
      buildCdEvent(CdEventTypes.ServiceDeployed, {
        source: '/cd',
        timestamp: at(i),
        subject: { id: 'svc', content: { environment: { id: 'prod' }, artifactId: `a${i % 2}` } },
      }),
    );
  }
  return events.map((e, i) => recorded(e, i + 1));
}

const TABLES = ['deployments', 'rollbacks', 'incidents', 'changes', 'artifacts', 'runs', 'test_cases'] as const;

/** Every row of the read model, table by table. */
async function dump(db: SqlExecutor): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await db.query(`SELECT * FROM ${TM[table]} ORDER BY 1, 2, 3, 4`);
  return out;
}

describe('telemetry metrics projection', () => {
  const spec = projectionSpec(new TelemetryMetricsProjection());
  afterAll(() => spec.close());

  const project = (events: readonly RecordedEvent[], cuts: readonly number[]) => spec.given(events).whenApplied({ cuts }).then(dump);

  it('leaves the same rows one event at a time, in one batch, or cut anywhere', async () => {
    const events = history();
    const oneByOne = await project(events, events.map((_, i) => i).slice(1));
    const whole = await project(events, []);
    expect(whole).toEqual(oneByOne);
    for (const cuts of [[5], [3, 17, 18], [1, 2, 30]]) expect(await project(events, cuts)).toEqual(oneByOne);
    // The folding kept the earliest time of each phase and the outcome of the earliest finish.
    const runs = oneByOne['runs'] as { run_id: string; started_at: Date; finished_at: Date; outcome: string; name: string }[];
    expect(runs.map((r) => [r.run_id, r.name, r.started_at.toISOString(), r.finished_at.toISOString(), r.outcome])).toEqual([
      ['p0', 'a', at(7), at(27), 'failure'],
      ['p1', 'b', at(6), at(26), 'success'],
      ['p2', 'a', at(5), at(25), 'failure'],
    ]);
    expect(oneByOne['deployments']).toHaveLength(6);
  });

  it('applies one event through apply() as a batch of one', async () => {
    const events = history();
    const expected = await project(events, []);
    await spec.given(events).whenApplied({ through: 'apply' }).then(dump, expected);
  });
});
