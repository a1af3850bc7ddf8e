import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { defineContext } from '#platform';
import type { TelemetrySettings } from './telemetry.settings.js';
import { readTelemetrySettings, TELEMETRY_SETTINGS } from './telemetry.settings.js';
import { CdEventIngestService } from './application/cdevent-ingest.service.js';
import { IngestWatermark } from './application/ingest-watermark.js';
import { TelemetryMetricsService } from './application/telemetry-metrics.service.js';
import { CdEventsBodyParser } from './http/cdevents-body.parser.js';
import { CdEventsController } from './http/cdevents.controller.js';
import { TelemetryMetricsController } from './http/telemetry-metrics.controller.js';
import { DoraQueries } from './read-models/dora.queries.js';
import { PipelineMetricsQueries } from './read-models/pipeline-metrics.queries.js';
import { TelemetryMetricsProjection } from './read-models/telemetry-metrics.projection.js';

/**
 * CDEvents ingest and pipeline/DORA metrics. Needs an app that also provides the policy decision
 * point (AUTHORIZER, from Access Control's authentication module).
 */
@Module({})
export class TelemetryModule {
  static forRoot(settings: TelemetrySettings): DynamicModule {
    return {
      module: TelemetryModule,
      controllers: [CdEventsController, TelemetryMetricsController],
      providers: [
        { provide: TELEMETRY_SETTINGS, useValue: settings },
        CdEventsBodyParser,
        CdEventIngestService,
        IngestWatermark,
        TelemetryMetricsService,
        DoraQueries,
        PipelineMetricsQueries,
      ],
    };
  }
}

/** Telemetry as an app hosts it: its settings, module and read model. */
export const telemetryContext = defineContext({
  name: 'telemetry',
  settings: readTelemetrySettings,
  module: (settings) => TelemetryModule.forRoot(settings),
  projections: () => [new TelemetryMetricsProjection()],
});
