import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { JsonLogger } from '../observability/json-logger.js';
import { Metrics } from '../observability/metrics.js';

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
  app.use((req: { method: string; route?: { path?: string } }, res: { statusCode: number; on(e: string, f: () => void): void }, next: () => void) => {
    const end = metrics.httpRequests.startTimer();
    res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
