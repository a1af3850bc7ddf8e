import { nonEmpty, object, opt, req, subjectRef, text, uri } from '../schema/schema-dsl.js';
import { defineEvents } from './event-def.js';

const environmentDetails = object({ name: opt(text), uri: opt(uri) });
const deployment = object({ environment: req(subjectRef), artifactId: req(nonEmpty) });
const inEnvironment = object({ environment: opt(subjectRef) });

// Continuous deployment events: environments and services.
export const cdEvents = defineEvents({
  'dev.cdevents.environment.created.0.3.0': {
    subject: 'environment',
    predicate: 'created',
    version: '0.3.0',
    content: environmentDetails,
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.environment.modified.0.3.0': {
    subject: 'environment',
    predicate: 'modified',
    version: '0.3.0',
    content: environmentDetails,
    v04: { urlRenamed: ['uri'] },
  },
  'dev.cdevents.environment.deleted.0.3.0': {
    subject: 'environment',
    predicate: 'deleted',
    version: '0.3.0',
    content: object({ name: opt(text) }),
  },
  'dev.cdevents.service.deployed.0.3.0': { subject: 'service', predicate: 'deployed', version: '0.3.0', content: deployment },
  'dev.cdevents.service.upgraded.0.3.0': { subject: 'service', predicate: 'upgraded', version: '0.3.0', content: deployment },
  'dev.cdevents.service.rolledback.0.3.0': { subject: 'service', predicate: 'rolledback', version: '0.3.0', content: deployment },
  'dev.cdevents.service.removed.0.3.0': { subject: 'service', predicate: 'removed', version: '0.3.0', content: inEnvironment },
  'dev.cdevents.service.published.0.3.0': { subject: 'service', predicate: 'published', version: '0.3.0', content: inEnvironment },
});
