import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import type { AppConfig } from '#platform';
import { APP_CONFIG } from '#platform';

export const INGEST_PATH = '/v1/cdevents';

const isIngestRequest = (req: IncomingMessage) => {
  const url = req.url ?? '';
  return url.startsWith(INGEST_PATH) && (url.length === INGEST_PATH.length || url[INGEST_PATH.length] === '?');
};

/**
 * CDEvents are stored as the bytes that were sent, and a structured CloudEvent's `data` is cut out
 * of the body's text, so the ingest route needs the body unparsed. This reads it as a Buffer
 * (under the same size limit: larger bodies get 413) before the platform's JSON parser, which
 * then leaves the consumed request alone. It registers while the application is being created,
 * ahead of the parsers that createApp adds afterwards.
 */
@Injectable()
export class CdEventsBodyParser {
  constructor(adapterHost: HttpAdapterHost, @Inject(APP_CONFIG) config: AppConfig) {
    const adapter = adapterHost.httpAdapter as ExpressAdapter | undefined;
    adapter?.useBodyParser('raw', false, { limit: config.bodyLimitBytes, type: isIngestRequest });
  }
}
