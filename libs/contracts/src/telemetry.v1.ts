import type { RecordedEvent } from '#kernel';
import type { IntegrationEvent, IntegrationEventMapper } from './integration-event.js';
import { envelope } from './integration-event.js';

/**
 * Integration events of the Telemetry context, version 1, on topic `telemetry.events.v1`, keyed
 * by the recording's stream id (`cdevent-<sha256 of source and id>`). Every CDEvent accepted by
 * `POST /v1/cdevents` is published exactly once: under the specific type below when there is
 * one, else as `cdevent-recorded`. All carry the common fields, so a consumer wanting every
 * CDEvent reads every type of the topic.
 */
export const TELEMETRY_EVENT_TYPES = {
  cdeventRecorded: 'dev.compliance-ledger.telemetry.cdevent-recorded.v1',
  artifactPackaged: 'dev.compliance-ledger.telemetry.artifact-packaged.v1',
  artifactSigned: 'dev.compliance-ledger.telemetry.artifact-signed.v1',
  artifactPublished: 'dev.compliance-ledger.telemetry.artifact-published.v1',
  serviceDeployed: 'dev.compliance-ledger.telemetry.service-deployed.v1',
  serviceRolledBack: 'dev.compliance-ledger.telemetry.service-rolled-back.v1',
  changeMerged: 'dev.compliance-ledger.telemetry.change-merged.v1',
  incidentDetected: 'dev.compliance-ledger.telemetry.incident-detected.v1',
  incidentResolved: 'dev.compliance-ledger.telemetry.incident-resolved.v1',
} as const;

export type TelemetryEventType = (typeof TELEMETRY_EVENT_TYPES)[keyof typeof TELEMETRY_EVENT_TYPES];

/** What every Telemetry integration event carries. */
export type CdEventRecordedV1 = {
  readonly project: string;
  /** `context.id` and `context.source`: the CDEvent's identity. */
  readonly cdeventId: string;
  readonly cdeventSource: string;
  /** CDEvents 0.5.1 type (0.4.x input is normalised). */
  readonly cdeventType: string;
  /** `context.timestamp` as sent. */
  readonly timestamp: string;
  /** False when accepted unvalidated (unknown type or version, by configuration). */
  readonly validated: boolean;
  /** The CDEvent in the CDEvents 0.5.1 model. */
  readonly cdevent: Record<string, unknown>;
};

export type ArtifactPackagedV1 = CdEventRecordedV1 & {
  readonly artifactId: string;
  readonly changeId: string;
  readonly changeSource: string | null;
  readonly sbomUri: string | null;
};

export type ArtifactSignedV1 = CdEventRecordedV1 & {
  readonly artifactId: string;
  readonly signature: string;
};

export type ArtifactPublishedV1 = CdEventRecordedV1 & {
  readonly artifactId: string;
  readonly sbomUri: string | null;
};

export type ServiceDeployedV1 = CdEventRecordedV1 & {
  readonly service: string;
  readonly environment: string;
  readonly artifactId: string;
  /** `deployed` (first deployment) or `upgraded` (a new version of a deployed service). */
  readonly action: 'deployed' | 'upgraded';
};

export type ServiceRolledBackV1 = CdEventRecordedV1 & {
  readonly service: string;
  readonly environment: string;
  /** The artifact the service was rolled back to. */
  readonly artifactId: string;
};

export type ChangeMergedV1 = CdEventRecordedV1 & {
  readonly changeId: string;
  readonly repository: string | null;
};

export type IncidentV1 = CdEventRecordedV1 & {
  readonly incidentId: string;
  readonly environment: string;
  readonly service: string | null;
  readonly artifactId: string | null;
};

export type TelemetryIntegrationEvent =
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.cdeventRecorded, CdEventRecordedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.artifactPackaged, ArtifactPackagedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.artifactSigned, ArtifactSignedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.artifactPublished, ArtifactPublishedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.serviceDeployed, ServiceDeployedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.serviceRolledBack, ServiceRolledBackV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.changeMerged, ChangeMergedV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.incidentDetected, IncidentV1>
  | IntegrationEvent<typeof TELEMETRY_EVENT_TYPES.incidentResolved, IncidentV1>;

const CONTEXT = 'telemetry';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The `CdEventRecorded` fields this contract reads; a missing one is a broken contract and throws. */
function common(event: RecordedEvent): { base: CdEventRecordedV1; subject: Json; content: Json } {
  const data = event.data as Json;
  const text = (name: string): string => {
    const value = data[name];
    if (typeof value !== 'string') throw new TypeError(`CdEventRecorded ${event.eventId} has no string field "${name}" for its v1 integration event`);
    return value;
  };
  // `normalized` is null when the CDEvent needed no normalising: `raw` is then the 0.5.1 form.
  const normalized = data['normalized'];
  const cdevent = JSON.parse(typeof normalized === 'string' ? normalized : text('raw')) as Json;
  const subject = obj(cdevent['subject']);
  return {
    base: {
      project: text('project'),
      cdeventId: text('id'),
      cdeventSource: text('source'),
      cdeventType: text('type'),
      timestamp: text('timestamp'),
      validated: data['validated'] === true,
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
 * Maps Telemetry's `CdEventRecorded` to one v1 integration event: the specific type where one
 * exists for a validated event, else `cdevent-recorded`. Other domain events stay internal.
 */
export const telemetryEventsV1: IntegrationEventMapper = (event) => {
  if (event.metadata.context !== CONTEXT || event.type !== 'CdEventRecorded') return null;
  const { base, subject, content } = common(event);
  const generic = () => ({ ...envelope(event, CONTEXT, 'cdevent-recorded'), data: base });
  if (!base.validated) return generic();
  const subjectId = str(subject['id']) ?? '';
  switch (subjectPredicate(base.cdeventType)) {
    case 'artifact.packaged': {
      const change = obj(content['change']);
      return {
        ...envelope(event, CONTEXT, 'artifact-packaged'),
        data: { ...base, artifactId: subjectId, changeId: str(change['id']) ?? '', changeSource: str(change['source']), sbomUri: str(obj(content['sbom'])['uri']) },
      };
    }
    case 'artifact.signed':
      return { ...envelope(event, CONTEXT, 'artifact-signed'), data: { ...base, artifactId: subjectId, signature: str(content['signature']) ?? '' } };
    case 'artifact.published':
      return { ...envelope(event, CONTEXT, 'artifact-published'), data: { ...base, artifactId: subjectId, sbomUri: str(obj(content['sbom'])['uri']) } };
    case 'service.deployed':
    case 'service.upgraded':
      return {
        ...envelope(event, CONTEXT, 'service-deployed'),
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
        ...envelope(event, CONTEXT, 'service-rolled-back'),
        data: { ...base, service: subjectId, environment: str(obj(content['environment'])['id']) ?? '', artifactId: str(content['artifactId']) ?? '' },
      };
    case 'change.merged':
      return { ...envelope(event, CONTEXT, 'change-merged'), data: { ...base, changeId: subjectId, repository: str(obj(content['repository'])['id']) } };
    case 'incident.detected':
    case 'incident.resolved':
      return {
        ...envelope(event, CONTEXT, base.cdeventType.includes('.detected.') ? 'incident-detected' : 'incident-resolved'),
        data: {
          ...base,
          incidentId: subjectId,
          environment: str(obj(content['environment'])['id']) ?? '',
          service: str(obj(content['service'])['id']),
          artifactId: str(content['artifactId']),
        },
      };
    default:
      return generic();
  }
};

/** Narrows a received integration event to Telemetry's v1 events by its type. */
export function isTelemetryEventV1(event: IntegrationEvent): event is TelemetryIntegrationEvent {
  return (Object.values(TELEMETRY_EVENT_TYPES) as string[]).includes(event.type);
}
