import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { JsonLogger } from '../observability/json-logger.js';
import { Metrics } from '../observability/metrics.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.interceptor.js';

export interface HttpOptions {
  readonly title: string;
  readonly description: string;
}

/** Body limits, logging, request metrics and OpenAPI at /docs (JSON at /docs-json). */
export function configureHttp(app: NestExpressApplication, config: AppConfig, options: HttpOptions): void {
  const logger = app.get(JsonLogger);
  app.useLogger(logger);
  app.use(logger.requestLogger());
  app.disable('x-powered-by');
  // JSON bodies of every JSON media type (CloudEvents structured and batch included), size-capped.
  app.useBodyParser('json', { limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] });
  const metrics = app.get(Metrics);
  app.use(
    (
      req: { method: string; route?: { path?: string } },
      res: { statusCode: number; on(e: string, f: () => void): void },
      next: () => void,
    ) => {
      const end = metrics.httpRequests.startTimer();
      res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
      next();
    },
  );
  app.enableShutdownHooks();
  setupOpenApi(app, options);
}

function setupOpenApi(app: INestApplication, options: HttpOptions): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API token or OIDC JWT' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  documentIdempotencyKey(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** The Idempotency-Key header (see IdempotencyInterceptor) on every state-changing operation. */
function documentIdempotencyKey(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.parameters = {
    ...document.components.parameters,
    IdempotencyKey: {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'draft-ietf-httpapi-idempotency-key-header: a unique key per intended request (e.g. a UUID, as an sf-string "…" or bare; ' +
        'at most 255 printable ASCII characters). The same key with the same request from the same principal within 24 hours gets ' +
        'the first answer again (status and body, with `Idempotent-Replayed: true`) without running the command again; the same key ' +
        'with another request is 422; while the first request is still running, 409. Answers that invite a retry (5xx, 408, 409, ' +
        '425, 429) are not kept.',
      schema: { type: 'string', maxLength: 257, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
    }
  }
}
