import { Injectable } from '@nestjs/common';
import type { Cursor } from '#kernel';
import { compareCursors } from '#kernel';
import { ProjectionRunner } from '#platform';
import { TELEMETRY_READ_MODEL } from '../read-models/telemetry-metrics.projection.js';

/**
 * Read-your-writes for metrics without making ingest wait for them: ingest answers once its
 * events are committed and notes the furthest cursor it wrote; a metrics query first lets the
 * read model catch up to that mark (briefly; a query after a long stall reads slightly stale
 * numbers rather than hang). Pipelines post far more often than anyone reads metrics, so the
 * wait belongs on the read.
 */
@Injectable()
export class IngestWatermark {
  private mark: Cursor | null = null;

  constructor(private readonly projections: ProjectionRunner) {}

  advance(cursor: Cursor): void {
    if (this.mark === null || compareCursors(cursor, this.mark) > 0) this.mark = cursor;
  }

  /** Resolves once the metrics read model has applied everything ingested so far in this process. */
  async reached(timeoutMs = 2000): Promise<void> {
    if (this.mark !== null) await this.projections.waitFor(this.mark, timeoutMs, [TELEMETRY_READ_MODEL]);
  }
}
