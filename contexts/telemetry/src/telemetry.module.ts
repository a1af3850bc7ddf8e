import { Module } from '@nestjs/common';
import { CdEventIngestService } from './application/cdevent-ingest.service.js';
import { IngestWatermark } from './application/ingest-watermark.js';
import { TelemetryMetricsService } from './application/telemetry-metrics.service.js';
import { CdEventsBodyParser } from './http/cdevents-body.parser.js';
import { CdEventsController } from './http/cdevents.controller.js';
import { TelemetryMetricsController } from './http/telemetry-metrics.controller.js';
import { DoraQueries } from './read-models/dora.queries.js';
import { PipelineMetricsQueries } from './read-models/pipeline-metrics.queries.js';
import { TelemetryMetricsProjection } from './read-models/telemetry-metrics.projection.js';

/** Read models this context needs the platform to run. */
export const telemetryProjections = () => [new TelemetryMetricsProjection()];

/**
 * CDEvents ingest and pipeline/DORA metrics. Needs an app that also provides the policy decision
 * point (AUTHORIZER, from Access Control's auth module) and runs `telemetryProjections()`.
 */
@Module({
  controllers: [CdEventsController, TelemetryMetricsController],
  providers: [CdEventsBodyParser, CdEventIngestService, IngestWatermark, TelemetryMetricsService, DoraQueries, PipelineMetricsQueries],
})
export class TelemetryModule {}
