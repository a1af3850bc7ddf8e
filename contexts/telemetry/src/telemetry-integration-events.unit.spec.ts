import { buildCdEvent, CdEventTypes, type CdEvent } from '#cdevents';
import { TELEMETRY_EVENT_TYPES, TOPICS } from '#contracts';
import type { RecordedEvent } from '#kernel';
import { IntegrationEventRegistry } from '#messaging';
import type { CdEventRecordedData } from './domain/cdevent-record.decider.js';
import { telemetryIntegrationEvents as declaration } from './index.js';
import { factOf } from './read-models/cdevent-facts.js';

const ts = '2026-03-01T10:00:00.123456Z';

/** Through a registry, as the relay publishes them: it offers the declaration only this context's events of its types. */
const registry = new IntegrationEventRegistry([declaration]);
const telemetryIntegrationEvents = (event: RecordedEvent) => registry.map(event);

function recordedData(event: CdEvent, overrides: Partial<CdEventRecordedData> = {}): CdEventRecordedData {
  return {
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
    raw: JSON.stringify(event),
    normalized: JSON.stringify(event),
    normalizationNotes: '',
    ...overrides,
  };
}

function recorded(event: CdEvent, overrides: Partial<CdEventRecordedData> = {}, context = 'telemetry'): RecordedEvent {
  return {
    position: 7,
    cursor: '1:7',
    eventId: 'evt-7',
    streamId: 'cdevent-abc',
    streamVersion: 1,
    type: 'CdEventRecorded',
    data: recordedData(event, overrides),
    metadata: { actor: 'ci', correlationId: 'c', occurredAt: '2026-03-01T10:00:00.123Z', project: 'payments', context },
    recordedAt: '2026-03-01T10:00:01.000Z',
  };
}

const deployed = buildCdEvent(CdEventTypes.ServiceUpgraded, {
  id: 'd-1',
  source: '/cd/argo',
  timestamp: ts,
  subject: { id: 'checkout', content: { environment: { id: 'Production' }, artifactId: 'pkg:oci/checkout@sha256:a1' } },
});

describe('Telemetry v1 integration events', () => {
  it('publishes a deployment as service-deployed with the common fields, keyed by the stream id', () => {
    const out = telemetryIntegrationEvents(recorded(deployed));
    expect(out).toEqual({
      id: 'evt-7',
      type: TELEMETRY_EVENT_TYPES.serviceDeployed,
      source: '/compliance-ledger/telemetry',
      subject: 'cdevent-abc',
      time: '2026-03-01T10:00:00.123Z',
      topic: TOPICS.telemetry,
      project: 'payments',
      data: {
        project: 'payments',
        cdeventId: 'd-1',
        cdeventSource: '/cd/argo',
        cdeventType: CdEventTypes.ServiceUpgraded,
        timestamp: ts,
        validated: true,
        cdevent: deployed,
        service: 'checkout',
        environment: 'Production',
        artifactId: 'pkg:oci/checkout@sha256:a1',
        action: 'upgraded',
      },
    });
  });

  it('reads the CDEvent from the raw bytes when no normalising was needed', () => {
    expect(
      telemetryIntegrationEvents(recorded(deployed, { normalized: null, raw: JSON.stringify(deployed, null, 2) }))?.data['cdevent'],
    ).toEqual(deployed);
  });

  it('publishes specific types for artifacts, changes, rollbacks and incidents', () => {
    const packaged = buildCdEvent(CdEventTypes.ArtifactPackaged, {
      source: '/ci',
      subject: { id: 'pkg:oci/a@sha256:1', content: { change: { id: 'c1', source: 'git.example/repo' }, sbom: { uri: 'https://sbom/1' } } },
    });
    expect(telemetryIntegrationEvents(recorded(packaged))).toMatchObject({
      type: TELEMETRY_EVENT_TYPES.artifactPackaged,
      data: { artifactId: 'pkg:oci/a@sha256:1', changeId: 'c1', changeSource: 'git.example/repo', sbomUri: 'https://sbom/1' },
    });
    const merged = buildCdEvent(CdEventTypes.ChangeMerged, {
      source: '/scm',
      subject: { id: 'c1', content: { repository: { id: 'repo' } } },
    });
    expect(telemetryIntegrationEvents(recorded(merged))).toMatchObject({
      type: TELEMETRY_EVENT_TYPES.changeMerged,
      data: { changeId: 'c1', repository: 'repo' },
    });
    const resolved = buildCdEvent(CdEventTypes.IncidentResolved, {
      source: '/ops',
      subject: { id: 'i1', content: { environment: { id: 'prod' } } },
    });
    expect(telemetryIntegrationEvents(recorded(resolved))).toMatchObject({
      type: TELEMETRY_EVENT_TYPES.incidentResolved,
      data: { incidentId: 'i1', environment: 'prod', service: null, artifactId: null },
    });
    const rolledBack = buildCdEvent(CdEventTypes.ServiceRolledback, {
      source: '/cd',
      subject: { id: 's', content: { environment: { id: 'prod' }, artifactId: 'a0' } },
    });
    expect(telemetryIntegrationEvents(recorded(rolledBack))?.type).toBe(TELEMETRY_EVENT_TYPES.serviceRolledBack);
  });

  it('publishes other and unvalidated CDEvents as cdevent-recorded, and nothing of other contexts', () => {
    const started = buildCdEvent(CdEventTypes.PipelineRunStarted, {
      source: '/ci',
      subject: { id: 'p1', content: { pipelineName: 'b', uri: 'https://ci/p1' } },
    });
    expect(telemetryIntegrationEvents(recorded(started))?.type).toBe(TELEMETRY_EVENT_TYPES.cdeventRecorded);
    expect(telemetryIntegrationEvents(recorded(deployed, { validated: false }))?.type).toBe(TELEMETRY_EVENT_TYPES.cdeventRecorded);
    expect(telemetryIntegrationEvents(recorded(deployed, {}, 'access-control'))).toBeNull();
  });

  it('refuses to publish a recording that lacks a contract field', () => {
    const broken = recorded(deployed);
    delete broken.data['project'];
    expect(() => telemetryIntegrationEvents(broken)).toThrow(/project/);
  });
});

describe('metric facts of CDEvents', () => {
  it('reads a deployment with its environment in lower case and the time in UTC', () => {
    expect(factOf(recordedData(deployed))).toEqual({
      kind: 'deployment',
      action: 'upgraded',
      service: 'checkout',
      environment: 'production',
      artifactId: 'pkg:oci/checkout@sha256:a1',
      at: '2026-03-01T10:00:00.123Z',
    });
  });

  it('reads runs, test cases and artifacts', () => {
    const finished = buildCdEvent(CdEventTypes.PipelineRunFinished, {
      source: '/ci',
      timestamp: ts,
      subject: { id: 'p1', content: { pipelineName: 'build', outcome: 'failure' } },
    });
    expect(factOf(recordedData(finished))).toMatchObject({
      kind: 'run',
      runKind: 'pipeline',
      phase: 'finished',
      source: '/ci',
      runId: 'p1',
      name: 'build',
      outcome: 'failure',
    });
    const testCase = buildCdEvent(CdEventTypes.TestCaseRunFinished, {
      source: '/ci',
      chainId: 'chain-1',
      subject: {
        id: 'tc-1',
        content: { environment: { id: 'ci' }, outcome: 'success', testSuiteRun: { id: 's1' }, testCase: { id: 'login' } },
      },
    });
    expect(factOf(recordedData(testCase))).toMatchObject({
      kind: 'test-case',
      testCaseId: 'login',
      suiteRunId: 's1',
      chainId: 'chain-1',
      outcome: 'success',
    });
    const published = buildCdEvent(CdEventTypes.ArtifactPublished, { source: '/ci', subject: { id: 'a', content: {} } });
    expect(factOf(recordedData(published))).toMatchObject({ kind: 'artifact', phase: 'published', hasSbom: false, changeId: null });
  });

  it('gives nothing for unvalidated events and types the metrics do not use', () => {
    expect(factOf(recordedData(deployed, { validated: false }))).toBeNull();
    const ticket = buildCdEvent(CdEventTypes.TicketCreated, {
      source: '/t',
      subject: { id: 't', content: { summary: 's', creator: 'me', uri: 'https://t/1' } },
    });
    expect(factOf(recordedData(ticket))).toBeNull();
  });
});
