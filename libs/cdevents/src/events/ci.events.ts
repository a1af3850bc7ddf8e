import { nonEmpty, object, opt, req, text, uriRef } from '../schema/schema-dsl.js';
import { defineEvents } from './event-def.js';

const sbom = object({ uri: req(uriRef) });
const byUser = object({ user: opt(nonEmpty) });

// Continuous integration events: builds and artifacts.
export const ciEvents = defineEvents({
  'dev.cdevents.build.queued.0.3.0': { subject: 'build', predicate: 'queued', version: '0.3.0', content: object({}) },
  'dev.cdevents.build.started.0.3.0': { subject: 'build', predicate: 'started', version: '0.3.0', content: object({}) },
  'dev.cdevents.build.finished.0.3.0': {
    subject: 'build',
    predicate: 'finished',
    version: '0.3.0',
    content: object({ artifactId: opt(text) }),
  },
  'dev.cdevents.artifact.packaged.0.3.0': {
    subject: 'artifact',
    predicate: 'packaged',
    version: '0.3.0',
    content: object({ change: req(object({ id: req(nonEmpty), source: opt(uriRef) })), sbom: opt(sbom) }),
  },
  'dev.cdevents.artifact.signed.0.3.0': {
    subject: 'artifact',
    predicate: 'signed',
    version: '0.3.0',
    content: object({ signature: req(nonEmpty) }),
  },
  'dev.cdevents.artifact.published.0.3.0': {
    subject: 'artifact',
    predicate: 'published',
    version: '0.3.0',
    content: object({ sbom: opt(sbom), user: opt(nonEmpty) }),
  },
  'dev.cdevents.artifact.downloaded.0.2.0': { subject: 'artifact', predicate: 'downloaded', version: '0.2.0', content: byUser },
  'dev.cdevents.artifact.deleted.0.2.0': { subject: 'artifact', predicate: 'deleted', version: '0.2.0', content: byUser },
});
