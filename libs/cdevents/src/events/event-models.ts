import type { CdEventOf } from './cdevent.types.js';

/** Type strings of CDEvents 0.5.1 by name, for producers that prefer names to literals. */
export const CdEventTypes = {
  PipelineRunQueued: 'dev.cdevents.pipelinerun.queued.0.3.0',
  PipelineRunStarted: 'dev.cdevents.pipelinerun.started.0.3.0',
  PipelineRunFinished: 'dev.cdevents.pipelinerun.finished.0.3.0',
  TaskRunStarted: 'dev.cdevents.taskrun.started.0.3.0',
  TaskRunFinished: 'dev.cdevents.taskrun.finished.0.3.0',
  RepositoryCreated: 'dev.cdevents.repository.created.0.3.0',
  RepositoryModified: 'dev.cdevents.repository.modified.0.3.0',
  RepositoryDeleted: 'dev.cdevents.repository.deleted.0.3.0',
  BranchCreated: 'dev.cdevents.branch.created.0.3.0',
  BranchDeleted: 'dev.cdevents.branch.deleted.0.3.0',
  ChangeCreated: 'dev.cdevents.change.created.0.4.0',
  ChangeUpdated: 'dev.cdevents.change.updated.0.3.0',
  ChangeReviewed: 'dev.cdevents.change.reviewed.0.3.0',
  ChangeMerged: 'dev.cdevents.change.merged.0.3.0',
  ChangeAbandoned: 'dev.cdevents.change.abandoned.0.3.0',
  BuildQueued: 'dev.cdevents.build.queued.0.3.0',
  BuildStarted: 'dev.cdevents.build.started.0.3.0',
  BuildFinished: 'dev.cdevents.build.finished.0.3.0',
  ArtifactPackaged: 'dev.cdevents.artifact.packaged.0.3.0',
  ArtifactSigned: 'dev.cdevents.artifact.signed.0.3.0',
  ArtifactPublished: 'dev.cdevents.artifact.published.0.3.0',
  ArtifactDownloaded: 'dev.cdevents.artifact.downloaded.0.2.0',
  ArtifactDeleted: 'dev.cdevents.artifact.deleted.0.2.0',
  TestCaseRunQueued: 'dev.cdevents.testcaserun.queued.0.3.0',
  TestCaseRunStarted: 'dev.cdevents.testcaserun.started.0.3.0',
  TestCaseRunFinished: 'dev.cdevents.testcaserun.finished.0.3.0',
  TestCaseRunSkipped: 'dev.cdevents.testcaserun.skipped.0.2.0',
  TestSuiteRunQueued: 'dev.cdevents.testsuiterun.queued.0.3.0',
  TestSuiteRunStarted: 'dev.cdevents.testsuiterun.started.0.3.0',
  TestSuiteRunFinished: 'dev.cdevents.testsuiterun.finished.0.3.0',
  TestOutputPublished: 'dev.cdevents.testoutput.published.0.3.0',
  EnvironmentCreated: 'dev.cdevents.environment.created.0.3.0',
  EnvironmentModified: 'dev.cdevents.environment.modified.0.3.0',
  EnvironmentDeleted: 'dev.cdevents.environment.deleted.0.3.0',
  ServiceDeployed: 'dev.cdevents.service.deployed.0.3.0',
  ServiceUpgraded: 'dev.cdevents.service.upgraded.0.3.0',
  ServiceRolledback: 'dev.cdevents.service.rolledback.0.3.0',
  ServiceRemoved: 'dev.cdevents.service.removed.0.3.0',
  ServicePublished: 'dev.cdevents.service.published.0.3.0',
  IncidentDetected: 'dev.cdevents.incident.detected.0.3.0',
  IncidentReported: 'dev.cdevents.incident.reported.0.3.0',
  IncidentResolved: 'dev.cdevents.incident.resolved.0.3.0',
  TicketCreated: 'dev.cdevents.ticket.created.0.2.0',
  TicketUpdated: 'dev.cdevents.ticket.updated.0.2.0',
  TicketClosed: 'dev.cdevents.ticket.closed.0.2.0',
} as const;

// One named model per event type.
export type PipelineRunQueuedEvent = CdEventOf<'dev.cdevents.pipelinerun.queued.0.3.0'>;
export type PipelineRunStartedEvent = CdEventOf<'dev.cdevents.pipelinerun.started.0.3.0'>;
export type PipelineRunFinishedEvent = CdEventOf<'dev.cdevents.pipelinerun.finished.0.3.0'>;
export type TaskRunStartedEvent = CdEventOf<'dev.cdevents.taskrun.started.0.3.0'>;
export type TaskRunFinishedEvent = CdEventOf<'dev.cdevents.taskrun.finished.0.3.0'>;
export type RepositoryCreatedEvent = CdEventOf<'dev.cdevents.repository.created.0.3.0'>;
export type RepositoryModifiedEvent = CdEventOf<'dev.cdevents.repository.modified.0.3.0'>;
export type RepositoryDeletedEvent = CdEventOf<'dev.cdevents.repository.deleted.0.3.0'>;
export type BranchCreatedEvent = CdEventOf<'dev.cdevents.branch.created.0.3.0'>;
export type BranchDeletedEvent = CdEventOf<'dev.cdevents.branch.deleted.0.3.0'>;
export type ChangeCreatedEvent = CdEventOf<'dev.cdevents.change.created.0.4.0'>;
export type ChangeUpdatedEvent = CdEventOf<'dev.cdevents.change.updated.0.3.0'>;
export type ChangeReviewedEvent = CdEventOf<'dev.cdevents.change.reviewed.0.3.0'>;
export type ChangeMergedEvent = CdEventOf<'dev.cdevents.change.merged.0.3.0'>;
export type ChangeAbandonedEvent = CdEventOf<'dev.cdevents.change.abandoned.0.3.0'>;
export type BuildQueuedEvent = CdEventOf<'dev.cdevents.build.queued.0.3.0'>;
export type BuildStartedEvent = CdEventOf<'dev.cdevents.build.started.0.3.0'>;
export type BuildFinishedEvent = CdEventOf<'dev.cdevents.build.finished.0.3.0'>;
export type ArtifactPackagedEvent = CdEventOf<'dev.cdevents.artifact.packaged.0.3.0'>;
export type ArtifactSignedEvent = CdEventOf<'dev.cdevents.artifact.signed.0.3.0'>;
export type ArtifactPublishedEvent = CdEventOf<'dev.cdevents.artifact.published.0.3.0'>;
export type ArtifactDownloadedEvent = CdEventOf<'dev.cdevents.artifact.downloaded.0.2.0'>;
export type ArtifactDeletedEvent = CdEventOf<'dev.cdevents.artifact.deleted.0.2.0'>;
export type TestCaseRunQueuedEvent = CdEventOf<'dev.cdevents.testcaserun.queued.0.3.0'>;
export type TestCaseRunStartedEvent = CdEventOf<'dev.cdevents.testcaserun.started.0.3.0'>;
export type TestCaseRunFinishedEvent = CdEventOf<'dev.cdevents.testcaserun.finished.0.3.0'>;
export type TestCaseRunSkippedEvent = CdEventOf<'dev.cdevents.testcaserun.skipped.0.2.0'>;
export type TestSuiteRunQueuedEvent = CdEventOf<'dev.cdevents.testsuiterun.queued.0.3.0'>;
export type TestSuiteRunStartedEvent = CdEventOf<'dev.cdevents.testsuiterun.started.0.3.0'>;
export type TestSuiteRunFinishedEvent = CdEventOf<'dev.cdevents.testsuiterun.finished.0.3.0'>;
export type TestOutputPublishedEvent = CdEventOf<'dev.cdevents.testoutput.published.0.3.0'>;
export type EnvironmentCreatedEvent = CdEventOf<'dev.cdevents.environment.created.0.3.0'>;
export type EnvironmentModifiedEvent = CdEventOf<'dev.cdevents.environment.modified.0.3.0'>;
export type EnvironmentDeletedEvent = CdEventOf<'dev.cdevents.environment.deleted.0.3.0'>;
export type ServiceDeployedEvent = CdEventOf<'dev.cdevents.service.deployed.0.3.0'>;
export type ServiceUpgradedEvent = CdEventOf<'dev.cdevents.service.upgraded.0.3.0'>;
export type ServiceRolledbackEvent = CdEventOf<'dev.cdevents.service.rolledback.0.3.0'>;
export type ServiceRemovedEvent = CdEventOf<'dev.cdevents.service.removed.0.3.0'>;
export type ServicePublishedEvent = CdEventOf<'dev.cdevents.service.published.0.3.0'>;
export type IncidentDetectedEvent = CdEventOf<'dev.cdevents.incident.detected.0.3.0'>;
export type IncidentReportedEvent = CdEventOf<'dev.cdevents.incident.reported.0.3.0'>;
export type IncidentResolvedEvent = CdEventOf<'dev.cdevents.incident.resolved.0.3.0'>;
export type TicketCreatedEvent = CdEventOf<'dev.cdevents.ticket.created.0.2.0'>;
export type TicketUpdatedEvent = CdEventOf<'dev.cdevents.ticket.updated.0.2.0'>;
export type TicketClosedEvent = CdEventOf<'dev.cdevents.ticket.closed.0.2.0'>;
