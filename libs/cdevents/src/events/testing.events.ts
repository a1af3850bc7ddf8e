import { enumOf, looseSubjectRef, nonEmpty, object, openObject, opt, req, subjectRef, text, uri } from '../schema/schema-dsl.js';
import { RUN_OUTCOMES } from './core.events.js';
import { defineEvents } from './event-def.js';

export const TEST_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const TEST_CASE_TYPES = ['performance', 'functional', 'unit', 'security', 'compliance', 'integration', 'e2e', 'other'] as const;
export const TRIGGER_TYPES = ['manual', 'pipeline', 'event', 'schedule', 'other'] as const;
export const TEST_OUTPUT_TYPES = ['report', 'video', 'image', 'log', 'other'] as const;

// The schema leaves `trigger` open (no additionalProperties: false), unlike its siblings.
const trigger = openObject({ type: opt(enumOf(TRIGGER_TYPES)), uri: opt(uri) });
const testCase = object({ id: req(nonEmpty), version: opt(text), name: opt(text), type: opt(enumOf(TEST_CASE_TYPES)), uri: opt(uri) });
const testSuite = object({ id: req(nonEmpty), version: opt(text), name: opt(text), uri: opt(uri) });

const testCaseRunPending = object({
  trigger: opt(trigger),
  environment: req(subjectRef),
  testSuiteRun: opt(looseSubjectRef),
  testCase: opt(testCase),
});
const testSuiteRunPending = object({ trigger: opt(trigger), environment: req(subjectRef), testSuite: opt(testSuite) });

// Testing events: test case runs, test suite runs, test outputs.
export const testingEvents = defineEvents({
  'dev.cdevents.testcaserun.queued.0.3.0': {
    subject: 'testCaseRun',
    predicate: 'queued',
    version: '0.3.0',
    content: testCaseRunPending,
    looseSources: true,
  },
  'dev.cdevents.testcaserun.started.0.3.0': {
    subject: 'testCaseRun',
    predicate: 'started',
    version: '0.3.0',
    content: testCaseRunPending,
    looseSources: true,
  },
  'dev.cdevents.testcaserun.finished.0.3.0': {
    subject: 'testCaseRun',
    predicate: 'finished',
    version: '0.3.0',
    content: object({
      outcome: req(enumOf(RUN_OUTCOMES)),
      severity: opt(enumOf(TEST_SEVERITIES)),
      reason: opt(text),
      environment: req(subjectRef),
      testSuiteRun: opt(looseSubjectRef),
      testCase: opt(testCase),
    }),
    looseSources: true,
    v04: { outcome: 'pass-fail' },
  },
  'dev.cdevents.testcaserun.skipped.0.2.0': {
    subject: 'testCaseRun',
    predicate: 'skipped',
    version: '0.2.0',
    content: object({ reason: opt(text), environment: opt(subjectRef), testSuiteRun: opt(looseSubjectRef), testCase: opt(testCase) }),
    looseSources: true,
  },
  'dev.cdevents.testsuiterun.queued.0.3.0': {
    subject: 'testSuiteRun',
    predicate: 'queued',
    version: '0.3.0',
    content: testSuiteRunPending,
    looseSources: true,
    v04: { urlRenamed: ['testSuite.uri'] },
  },
  'dev.cdevents.testsuiterun.started.0.3.0': {
    subject: 'testSuiteRun',
    predicate: 'started',
    version: '0.3.0',
    content: testSuiteRunPending,
    looseSources: true,
  },
  'dev.cdevents.testsuiterun.finished.0.3.0': {
    subject: 'testSuiteRun',
    predicate: 'finished',
    version: '0.3.0',
    content: object({
      environment: req(subjectRef),
      testSuite: opt(testSuite),
      outcome: req(enumOf(RUN_OUTCOMES)),
      severity: opt(enumOf(TEST_SEVERITIES)),
      reason: opt(text),
    }),
    looseSources: true,
    v04: { outcome: 'pass-fail' },
  },
  'dev.cdevents.testoutput.published.0.3.0': {
    subject: 'testOutput',
    predicate: 'published',
    version: '0.3.0',
    content: object({
      outputType: req(enumOf(TEST_OUTPUT_TYPES)),
      format: req(text),
      uri: opt(uri),
      testCaseRun: opt(looseSubjectRef),
    }),
    looseSources: true,
  },
});
