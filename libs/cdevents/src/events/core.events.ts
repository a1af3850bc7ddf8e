import { enumOf, object, opt, req, subjectRef, text, uri } from '../schema/schema-dsl.js';
import { defineEvents } from './event-def.js';

/** Outcome of runs in CDEvents 0.5 (0.4 used free text for pipelines, pass/fail for tests). */
export const RUN_OUTCOMES = ['success', 'failure', 'cancel', 'error'] as const;

// Core events: pipeline and task runs.
export const coreEvents = defineEvents({
  'dev.cdevents.pipelinerun.queued.0.3.0': {
    subject: 'pipelineRun',
    predicate: 'queued',
    version: '0.3.0',
    content: object({ pipelineName: opt(text), uri: opt(uri) }),
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.pipelinerun.started.0.3.0': {
    subject: 'pipelineRun',
    predicate: 'started',
    version: '0.3.0',
    content: object({ pipelineName: req(text), uri: req(uri) }),
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.pipelinerun.finished.0.3.0': {
    subject: 'pipelineRun',
    predicate: 'finished',
    version: '0.3.0',
    content: object({ pipelineName: opt(text), uri: opt(uri), outcome: opt(enumOf(RUN_OUTCOMES)), errors: opt(text) }),
    v04: { urlRenamed: ['uri'], outcome: 'free-text' },
  },
  'dev.cdevents.taskrun.started.0.3.0': {
    subject: 'taskRun',
    predicate: 'started',
    version: '0.3.0',
    content: object({ taskName: opt(text), uri: opt(uri), pipelineRun: opt(subjectRef) }),
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.taskrun.finished.0.3.0': {
    subject: 'taskRun',
    predicate: 'finished',
    version: '0.3.0',
    // taskRun outcome stayed free text in 0.5.1, unlike pipelineRun's.
    content: object({ taskName: opt(text), uri: opt(uri), pipelineRun: opt(subjectRef), outcome: opt(text), errors: opt(text) }),
    v04: { urlRenamed: ['uri'] },
  },
});
