import type { CdEventRecordedData } from '../domain/cdevent-record.decider.js';

/**
 * What the metrics need from one validated CDEvent, read from its CDEvents 0.5.1 form. Events of
 * other types, and events accepted unvalidated (whose content may have another shape), give none.
 * Environment ids are compared case-insensitively, so they are kept in lower case.
 */
export type CdEventFact =
  | { kind: 'deployment'; action: 'deployed' | 'upgraded'; service: string; environment: string; artifactId: string; at: string }
  | { kind: 'rollback'; service: string; environment: string; artifactId: string; at: string }
  | { kind: 'incident'; phase: 'detected' | 'reported' | 'resolved'; incidentId: string; environment: string; service: string | null; artifactId: string | null; at: string }
  | { kind: 'change'; phase: 'created' | 'reviewed' | 'merged' | 'abandoned'; changeId: string; repository: string | null; at: string }
  | { kind: 'artifact'; phase: 'packaged' | 'signed' | 'published'; artifactId: string; changeId: string | null; hasSbom: boolean; at: string }
  | { kind: 'run'; runKind: RunKind; phase: 'queued' | 'started' | 'finished'; source: string; runId: string; name: string | null; outcome: string | null; at: string }
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

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const RUN_SUBJECTS: Record<string, RunKind> = { pipelinerun: 'pipeline', taskrun: 'task', build: 'build', testsuiterun: 'test-suite' };

export function factOf(recorded: CdEventRecordedData): CdEventFact | null {
  if (!recorded.validated) return null;
  const match = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\./.exec(recorded.type);
  if (!match) return null;
  const [, subjectType, predicate] = match as unknown as [string, string, string];
  const event = JSON.parse(recorded.normalized ?? recorded.raw) as Json;
  const context = obj(event['context']);
  const subject = obj(event['subject']);
  const content = obj(subject['content']);
  const subjectId = str(subject['id']) ?? '';
  const at = new Date(recorded.timestamp).toISOString();
  const environment = (str(obj(content['environment'])['id']) ?? '').toLowerCase();

  switch (subjectType) {
    case 'service': {
      const artifactId = str(content['artifactId']) ?? '';
      if (predicate === 'deployed' || predicate === 'upgraded') return { kind: 'deployment', action: predicate, service: subjectId, environment, artifactId, at };
      if (predicate === 'rolledback') return { kind: 'rollback', service: subjectId, environment, artifactId, at };
      return null;
    }
    case 'incident':
      if (predicate !== 'detected' && predicate !== 'reported' && predicate !== 'resolved') return null;
      return {
        kind: 'incident',
        phase: predicate,
        incidentId: subjectId,
        environment,
        service: str(obj(content['service'])['id']),
        artifactId: str(content['artifactId']),
        at,
      };
    case 'change':
      if (predicate !== 'created' && predicate !== 'reviewed' && predicate !== 'merged' && predicate !== 'abandoned') return null;
      return { kind: 'change', phase: predicate, changeId: subjectId, repository: str(obj(content['repository'])['id']), at };
    case 'artifact':
      if (predicate !== 'packaged' && predicate !== 'signed' && predicate !== 'published') return null;
      return {
        kind: 'artifact',
        phase: predicate,
        artifactId: subjectId,
        changeId: str(obj(content['change'])['id']),
        hasSbom: str(obj(content['sbom'])['uri']) !== null,
        at,
      };
    case 'testcaserun': {
      if (predicate !== 'finished' && predicate !== 'skipped') return null;
      const testCase = obj(content['testCase']);
      return {
        kind: 'test-case',
        source: str(subject['source']) ?? str(context['source']) ?? '',
        runId: subjectId,
        testCaseId: str(testCase['id']) ?? subjectId,
        testCaseName: str(testCase['name']),
        suiteRunId: str(obj(content['testSuiteRun'])['id']),
        chainId: str(context['chainId']),
        outcome: predicate === 'skipped' ? 'skipped' : (str(content['outcome']) ?? 'unknown'),
        at,
      };
    }
    default: {
      const runKind = RUN_SUBJECTS[subjectType];
      if (!runKind || (predicate !== 'queued' && predicate !== 'started' && predicate !== 'finished')) return null;
      const suite = obj(content['testSuite']);
      const name = str(content['pipelineName']) ?? str(content['taskName']) ?? str(suite['name']) ?? str(suite['id']);
      return {
        kind: 'run',
        runKind,
        phase: predicate,
        source: str(subject['source']) ?? str(context['source']) ?? '',
        runId: subjectId,
        name,
        outcome: predicate === 'finished' ? str(content['outcome']) : null,
        at,
      };
    }
  }
}
