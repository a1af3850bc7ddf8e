import { nonEmpty, nonEmptyUri, object, openEnum, opt, req, stringList, subjectRef, text, uriRef } from '../schema/schema-dsl.js';
import { defineEvents } from './event-def.js';

/** Suggested values; the schema accepts any string for these (`anyOf: [enum, string]`). */
export const TICKET_TYPES = ['bug', 'enhancement', 'incident', 'task', 'question'] as const;
export const TICKET_PRIORITIES = ['low', 'medium', 'high'] as const;
export const TICKET_RESOLUTIONS = ['completed', 'withdrawn', 'duplicate'] as const;

const incident = object({
  description: opt(text),
  environment: req(subjectRef),
  service: opt(subjectRef),
  artifactId: opt(nonEmpty),
});

const ticketFields = {
  summary: opt(text),
  ticketType: opt(openEnum(TICKET_TYPES)),
  group: opt(text),
  creator: opt(nonEmpty),
  assignees: opt(stringList),
  priority: opt(openEnum(TICKET_PRIORITIES)),
  labels: opt(stringList),
  milestone: opt(text),
  uri: req(uriRef),
} as const;

// Continuous operations events: incidents and tickets.
export const opsEvents = defineEvents({
  'dev.cdevents.incident.detected.0.3.0': { subject: 'incident', predicate: 'detected', version: '0.3.0', content: incident },
  'dev.cdevents.incident.reported.0.3.0': {
    subject: 'incident',
    predicate: 'reported',
    version: '0.3.0',
    content: object({
      description: opt(text),
      environment: req(subjectRef),
      ticketURI: req(nonEmptyUri),
      service: opt(subjectRef),
      artifactId: opt(nonEmpty),
    }),
  },
  'dev.cdevents.incident.resolved.0.3.0': { subject: 'incident', predicate: 'resolved', version: '0.3.0', content: incident },
  'dev.cdevents.ticket.created.0.2.0': {
    subject: 'ticket',
    predicate: 'created',
    version: '0.2.0',
    content: object({ ...ticketFields, summary: req(text), creator: req(nonEmpty) }),
  },
  'dev.cdevents.ticket.updated.0.2.0': {
    subject: 'ticket',
    predicate: 'updated',
    version: '0.2.0',
    content: object({ ...ticketFields, updatedBy: opt(text) }),
  },
  'dev.cdevents.ticket.closed.0.2.0': {
    subject: 'ticket',
    predicate: 'closed',
    version: '0.2.0',
    content: object({ ...ticketFields, resolution: req(openEnum(TICKET_RESOLUTIONS, 1)), updatedBy: opt(text) }),
    optionalSubjectType: true,
  },
});
