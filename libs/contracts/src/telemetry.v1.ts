import type { IntegrationEvent } from './integration-event.js';

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

/** Narrows a received integration event to Telemetry's v1 events by its type. */
export function isTelemetryEventV1(event: IntegrationEvent): event is TelemetryIntegrationEvent {
  return (Object.values(TELEMETRY_EVENT_TYPES) as string[]).includes(event.type);
}
