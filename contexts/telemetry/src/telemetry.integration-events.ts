import type { CdEventRecordedV1, TelemetryIntegrationEvent } from '#contracts';
import { TELEMETRY_EVENT_TYPES } from '#contracts';
import type { IntegrationEventDeclaration, RecordedOf } from '#messaging';
import { contractFields, integrationEnvelope } from '#messaging';
import type { CdEventRecorded } from './domain/cdevent-record.decider.js';

const CONTEXT = 'telemetry';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The `CdEventRecorded` fields this contract reads; a missing one is a broken contract and throws. */
function common(event: RecordedOf<CdEventRecorded>): { base: CdEventRecordedV1; subject: Json; content: Json } {
  const d = contractFields(event);
  // `normalized` is null when the CDEvent needed no normalising: `raw` is then the 0.5.1 form.
  const normalized = event.data.normalized;
  const cdevent = JSON.parse(typeof normalized === 'string' ? normalized : d.text('raw')) as Json;
  const subject = obj(cdevent['subject']);
  return {
    base: {
      project: d.text('project'),
      cdeventId: d.text('id'),
      cdeventSource: d.text('source'),
      cdeventType: d.text('type'),
      timestamp: d.text('timestamp'),
      validated: event.data.validated === true,
      cdevent,
    },
    subject,
    content: obj(subject['content']),
  };
}

const PREFIX = 'dev.cdevents.';
/** `dev.cdevents.service.deployed.0.3.0` → `service.deployed`: the contract holds for every version validated as that type. */
const subjectPredicate = (type: string) => (type.startsWith(PREFIX) ? type.slice(PREFIX.length).split('.').slice(0, 2).join('.') : '');

/**
 * Telemetry's `CdEventRecorded` → one v1 integration event on `telemetry.events.v1`, keyed by
 * the recording's stream id (docs/events.md): the specific type where one exists for a
 * validated event, else `cdevent-recorded`. Every accepted CDEvent is published exactly once.
 */
function toIntegrationEvent(event: RecordedOf<CdEventRecorded>): TelemetryIntegrationEvent {
  const { base, subject, content } = common(event);
  const envelope = <Type extends string>(type: Type) => integrationEnvelope(event, CONTEXT, type);
  const generic = (): TelemetryIntegrationEvent => ({ ...envelope(TELEMETRY_EVENT_TYPES.cdeventRecorded), data: base });
  if (!base.validated) return generic();
  const subjectId = str(subject['id']) ?? '';
  switch (subjectPredicate(base.cdeventType)) {
    case 'artifact.packaged': {
      const change = obj(content['change']);
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.artifactPackaged),
        data: {
          ...base,
          artifactId: subjectId,
          changeId: str(change['id']) ?? '',
          changeSource: str(change['source']),
          sbomUri: str(obj(content['sbom'])['uri']),
        },
      };
    }
    case 'artifact.signed':
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.artifactSigned),
        data: { ...base, artifactId: subjectId, signature: str(content['signature']) ?? '' },
      };
    case 'artifact.published':
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.artifactPublished),
        data: { ...base, artifactId: subjectId, sbomUri: str(obj(content['sbom'])['uri']) },
      };
    case 'service.deployed':
    case 'service.upgraded':
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.serviceDeployed),
        data: {
          ...base,
          service: subjectId,
          environment: str(obj(content['environment'])['id']) ?? '',
          artifactId: str(content['artifactId']) ?? '',
          action: base.cdeventType.includes('.upgraded.') ? 'upgraded' : 'deployed',
        },
      };
    case 'service.rolledback':
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.serviceRolledBack),
        data: {
          ...base,
          service: subjectId,
          environment: str(obj(content['environment'])['id']) ?? '',
          artifactId: str(content['artifactId']) ?? '',
        },
      };
    case 'change.merged':
      return {
        ...envelope(TELEMETRY_EVENT_TYPES.changeMerged),
        data: { ...base, changeId: subjectId, repository: str(obj(content['repository'])['id']) },
      };
    case 'incident.detected':
    case 'incident.resolved': {
      const data = {
        ...base,
        incidentId: subjectId,
        environment: str(obj(content['environment'])['id']) ?? '',
        service: str(obj(content['service'])['id']),
        artifactId: str(content['artifactId']),
      };
      return base.cdeventType.includes('.detected.')
        ? { ...envelope(TELEMETRY_EVENT_TYPES.incidentDetected), data }
        : { ...envelope(TELEMETRY_EVENT_TYPES.incidentResolved), data };
    }
    default:
      return generic();
  }
}

/** What the relay publishes for Telemetry. */
export const telemetryIntegrationEvents: IntegrationEventDeclaration<CdEventRecorded> = {
  context: CONTEXT,
  eventTypes: ['CdEventRecorded'],
  map: toIntegrationEvent,
};
