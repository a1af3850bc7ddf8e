import { CATALOG, CdEventTypes, type CdEventOf, type CdEventType } from '#cdevents';
import type { CdEventRecordedData } from '../domain/cdevent-record.decider.js';

/**
 * What the metrics need from one validated CDEvent, read from its CDEvents 0.5.1 form. Events of
 * other types, and events accepted unvalidated (whose content may have another shape), give none.
 * Environment ids are compared case-insensitively, so they are kept in lower case.
 */
export type CdEventFact =
  | { kind: 'deployment'; action: 'deployed' | 'upgraded'; service: string; environment: string; artifactId: string; at: string }
  | { kind: 'rollback'; service: string; environment: string; artifactId: string; at: string }
  | {
      kind: 'incident';
      phase: 'detected' | 'reported' | 'resolved';
      incidentId: string;
      environment: string;
      service: string | null;
      artifactId: string | null;
      at: string;
    }
  | { kind: 'change'; phase: 'created' | 'reviewed' | 'merged' | 'abandoned'; changeId: string; repository: string | null; at: string }
  | {
      kind: 'artifact';
      phase: 'packaged' | 'signed' | 'published';
      artifactId: string;
      changeId: string | null;
      hasSbom: boolean;
      at: string;
    }
  | {
      kind: 'run';
      runKind: RunKind;
      phase: 'queued' | 'started' | 'finished';
      source: string;
      runId: string;
      name: string | null;
      outcome: string | null;
      at: string;
    }
  | {
      kind: 'test-case';
      source: string;
      runId: string;
      testCaseId: string;
      testCaseName: string | null;
      suiteRunId: string | null;
      chainId: string | null;
      outcome: string;
      at: string;
    };

export type RunKind = 'pipeline' | 'task' | 'build' | 'test-suite';

/** A stored CDEvent with its 0.5.1 type, so that a switch on `type` narrows `event` to that type's model. */
type TypedCdEvent = { [T in CdEventType]: { readonly type: T; readonly event: CdEventOf<T> } }[CdEventType];

/** The 0.5.1 type of each `<subject>.<predicate>`: whatever version a validated event was sent in, it is stored in that model. */
const TYPE_BY_NAME: ReadonlyMap<string, CdEventType> = new Map(CATALOG.map((entry) => [entry.name, entry.type]));

/** Optional text of the models, with the empty string counted as absent. */
const present = (value: string | undefined): string | null => (value ? value : null);

function typedOf(recorded: CdEventRecordedData): TypedCdEvent | null {
  const name = /^dev\.cdevents\.([a-z]+\.[a-z]+)\./.exec(recorded.type)?.[1];
  const type = name === undefined ? undefined : TYPE_BY_NAME.get(name);
  if (type === undefined) return null;
  // Validated on ingest against this very model, and stored normalised to it.
  const event: unknown = JSON.parse(recorded.normalized ?? recorded.raw);
  return { type, event } as TypedCdEvent;
}

export function factOf(recorded: CdEventRecordedData): CdEventFact | null {
  if (!recorded.validated) return null;
  const typed = typedOf(recorded);
  if (typed === null) return null;
  const { context, subject } = typed.event;
  const subjectId = subject.id;
  const at = new Date(recorded.timestamp).toISOString();
  const source = present(subject.source) ?? present(context.source) ?? '';
  const run = (
    runKind: RunKind,
    phase: 'queued' | 'started' | 'finished',
    name: string | null,
    outcome: string | null = null,
  ): CdEventFact => ({
    kind: 'run',
    runKind,
    phase,
    source,
    runId: subjectId,
    name,
    outcome: phase === 'finished' ? outcome : null,
    at,
  });

  switch (typed.type) {
    case CdEventTypes.ServiceDeployed:
    case CdEventTypes.ServiceUpgraded:
    case CdEventTypes.ServiceRolledback: {
      const { content } = typed.event.subject;
      const environment = content.environment.id.toLowerCase();
      const artifactId = content.artifactId;
      if (typed.type === CdEventTypes.ServiceRolledback) return { kind: 'rollback', service: subjectId, environment, artifactId, at };
      return {
        kind: 'deployment',
        action: typed.type === CdEventTypes.ServiceDeployed ? 'deployed' : 'upgraded',
        service: subjectId,
        environment,
        artifactId,
        at,
      };
    }
    case CdEventTypes.IncidentDetected:
    case CdEventTypes.IncidentReported:
    case CdEventTypes.IncidentResolved: {
      const { content } = typed.event.subject;
      const phase =
        typed.type === CdEventTypes.IncidentDetected ? 'detected' : typed.type === CdEventTypes.IncidentReported ? 'reported' : 'resolved';
      return {
        kind: 'incident',
        phase,
        incidentId: subjectId,
        environment: content.environment.id.toLowerCase(),
        service: present(content.service?.id),
        artifactId: present(content.artifactId),
        at,
      };
    }
    case CdEventTypes.ChangeCreated:
    case CdEventTypes.ChangeReviewed:
    case CdEventTypes.ChangeMerged:
    case CdEventTypes.ChangeAbandoned: {
      const phase = (
        {
          [CdEventTypes.ChangeCreated]: 'created',
          [CdEventTypes.ChangeReviewed]: 'reviewed',
          [CdEventTypes.ChangeMerged]: 'merged',
          [CdEventTypes.ChangeAbandoned]: 'abandoned',
        } as const
      )[typed.type];
      return { kind: 'change', phase, changeId: subjectId, repository: present(typed.event.subject.content.repository?.id), at };
    }
    case CdEventTypes.ArtifactPackaged: {
      const { content } = typed.event.subject;
      return {
        kind: 'artifact',
        phase: 'packaged',
        artifactId: subjectId,
        changeId: present(content.change.id),
        hasSbom: present(content.sbom?.uri) !== null,
        at,
      };
    }
    case CdEventTypes.ArtifactSigned:
      return { kind: 'artifact', phase: 'signed', artifactId: subjectId, changeId: null, hasSbom: false, at };
    case CdEventTypes.ArtifactPublished:
      return {
        kind: 'artifact',
        phase: 'published',
        artifactId: subjectId,
        changeId: null,
        hasSbom: present(typed.event.subject.content.sbom?.uri) !== null,
        at,
      };
    case CdEventTypes.TestCaseRunFinished:
    case CdEventTypes.TestCaseRunSkipped: {
      const { content } = typed.event.subject;
      return {
        kind: 'test-case',
        source,
        runId: subjectId,
        testCaseId: present(content.testCase?.id) ?? subjectId,
        testCaseName: present(content.testCase?.name),
        suiteRunId: present(content.testSuiteRun?.id),
        chainId: present(context.chainId),
        outcome: typed.type === CdEventTypes.TestCaseRunSkipped ? 'skipped' : (present(typed.event.subject.content.outcome) ?? 'unknown'),
        at,
      };
    }
    case CdEventTypes.PipelineRunQueued:
      return run('pipeline', 'queued', present(typed.event.subject.content.pipelineName));
    case CdEventTypes.PipelineRunStarted:
      return run('pipeline', 'started', present(typed.event.subject.content.pipelineName));
    case CdEventTypes.PipelineRunFinished:
      return run('pipeline', 'finished', present(typed.event.subject.content.pipelineName), present(typed.event.subject.content.outcome));
    case CdEventTypes.TaskRunStarted:
      return run('task', 'started', present(typed.event.subject.content.taskName));
    case CdEventTypes.TaskRunFinished:
      return run('task', 'finished', present(typed.event.subject.content.taskName), present(typed.event.subject.content.outcome));
    case CdEventTypes.BuildQueued:
      return run('build', 'queued', null);
    case CdEventTypes.BuildStarted:
      return run('build', 'started', null);
    case CdEventTypes.BuildFinished:
      return run('build', 'finished', null);
    case CdEventTypes.TestSuiteRunQueued:
    case CdEventTypes.TestSuiteRunStarted:
    case CdEventTypes.TestSuiteRunFinished: {
      const suite = typed.event.subject.content.testSuite;
      const name = present(suite?.name) ?? present(suite?.id);
      if (typed.type === CdEventTypes.TestSuiteRunFinished)
        return run('test-suite', 'finished', name, present(typed.event.subject.content.outcome));
      return run('test-suite', typed.type === CdEventTypes.TestSuiteRunQueued ? 'queued' : 'started', name);
    }
    default:
      return null;
  }
}
