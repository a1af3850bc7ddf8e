import { nonEmpty, object, opt, req, subjectRef, text, uri } from '../schema/schema-dsl.js';
import { defineEvents } from './event-def.js';

const repositoryDetails = object({ name: opt(text), owner: opt(text), uri: opt(uri), viewUrl: opt(uri) });
const onRepository = object({ repository: opt(subjectRef) });

// Source code control events: repositories, branches, changes.
export const scmEvents = defineEvents({
  'dev.cdevents.repository.created.0.3.0': {
    subject: 'repository',
    predicate: 'created',
    version: '0.3.0',
    content: object({ name: req(nonEmpty), owner: opt(text), uri: req(uri), viewUrl: opt(uri) }),
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.repository.modified.0.3.0': {
    subject: 'repository',
    predicate: 'modified',
    version: '0.3.0',
    content: repositoryDetails,
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.repository.deleted.0.3.0': {
    subject: 'repository',
    predicate: 'deleted',
    version: '0.3.0',
    content: repositoryDetails,
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.branch.created.0.3.0': { subject: 'branch', predicate: 'created', version: '0.3.0', content: onRepository },
  'dev.cdevents.branch.deleted.0.3.0': { subject: 'branch', predicate: 'deleted', version: '0.3.0', content: onRepository },
  'dev.cdevents.change.created.0.4.0': {
    subject: 'change',
    predicate: 'created',
    version: '0.4.0',
    content: object({ description: opt(nonEmpty), repository: opt(subjectRef) }),
  },
  'dev.cdevents.change.updated.0.3.0': { subject: 'change', predicate: 'updated', version: '0.3.0', content: onRepository },
  'dev.cdevents.change.reviewed.0.3.0': { subject: 'change', predicate: 'reviewed', version: '0.3.0', content: onRepository },
  'dev.cdevents.change.merged.0.3.0': { subject: 'change', predicate: 'merged', version: '0.3.0', content: onRepository },
  'dev.cdevents.change.abandoned.0.3.0': { subject: 'change', predicate: 'abandoned', version: '0.3.0', content: onRepository },
});
