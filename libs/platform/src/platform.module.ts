import type { DynamicModule } from '@nestjs/common';
import { Global, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { CommandExecutor, systemClock, uuidGenerator } from '#kernel';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
import type { AppInfrastructure } from './app-infrastructure.js';
import type { HealthCheck } from '#event-store';
import { HealthController } from './observability/health.controller.js';
import { JsonLogger } from './observability/json-logger.js';
import { Metrics } from './observability/metrics.js';
import { MetricsController } from './observability/metrics.controller.js';
import type { Projection } from './projections/projection.js';
import { ProjectionRunner, projectionLocks } from './projections/projection-runner.js';
import { ProjectionsController } from './projections/projections.controller.js';
import { projectionsHealthCheck, registerProjectionMetrics } from './projections/projection-health.js';
import { APP_CONFIG, CLOCK, EVENT_STORE, ID_GENERATOR, SQL_DATABASE } from './tokens.js';
import { ReadinessChecks, readinessCheckProvider } from './observability/readiness-checks.js';
import { commandExecutorProvider, WriteSide } from './write-side.js';
import { PlatformLifecycle } from './platform-lifecycle.js';
import { ShutdownHooks } from './shutdown-hooks.js';
import { DeadLetterController } from './messaging/dead-letter.controller.js';
import { RelayController } from './messaging/relay.controller.js';
import { MESSAGE_BUS, MessagingMetrics, MessagingRuntime } from '#messaging';
import type { MessagingOptions } from '#messaging';
import { nestMessagingLog } from './messaging/nest-messaging-log.js';

export interface PlatformOptions {
  readonly config: AppConfig;
  readonly infrastructure: AppInfrastructure;
  /** Read models of every context this app hosts. */
  readonly projections: readonly Projection[];
  /** The relay and consumers this app runs, on `infrastructure.bus` (ignored without a bus). */
  readonly messaging?: MessagingOptions;
}

/** Everything an app shares: store, database, auth guard, errors, health, metrics, logs. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config, infrastructure } = options;
    const log = new Logger('projections');
    const runner = new ProjectionRunner(infrastructure.store, infrastructure.db, options.projections, {
      lockFor: projectionLocks(infrastructure.db, config.databaseUrl),
      onError: (projection, error) => log.warn({ msg: 'projection batch failed; retrying from its checkpoint', projection, err: error }),
      onQuarantined: (projection, event, error) =>
        log.error({
          msg: 'projection could not apply an event: quarantined it and went on (see GET /v1/admin/projections)',
          projection,
          position: event.cursor,
          eventId: event.eventId,
          eventType: event.type,
          err: error,
        }),
    });
    const metrics = new Metrics();
    registerProjectionMetrics(runner, metrics.registry);
    const { bus, store, db } = infrastructure;
    const messaging = bus
      ? new MessagingRuntime(
          { bus, store, db, config, metrics: new MessagingMetrics(metrics.registry), log: nestMessagingLog() },
          options.messaging,
        )
      : null;
    const messagingProviders = messaging
      ? [
          { provide: MessagingRuntime, useValue: messaging },
          { provide: MESSAGE_BUS, useValue: messaging.bus },
        ]
      : [];
    const checks: HealthCheck[] = [
      { name: 'eventStore', check: () => infrastructure.store.ping() },
      { name: 'database', check: async () => void (await infrastructure.db.query('SELECT 1')) },
      projectionsHealthCheck(runner),
      ...(infrastructure.healthChecks ?? []),
      ...(messaging ? [messaging.healthCheck()] : []),
    ];
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      controllers: [
        HealthController,
        MetricsController,
        ProjectionsController,
        ...(messaging ? [DeadLetterController, RelayController] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: JsonLogger, useValue: new JsonLogger(config) },
        { provide: SQL_DATABASE, useValue: infrastructure.db },
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: uuidGenerator },
        ...checks.map(readinessCheckProvider),
        ReadinessChecks,
        { provide: ProjectionRunner, useValue: runner },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: Metrics, useValue: metrics },
        ...messagingProviders,
        commandExecutorProvider,
        WriteSide,
        PlatformLifecycle,
        ShutdownHooks,
      ],
      exports: [
        ShutdownHooks,
        JsonLogger,
        APP_CONFIG,
        SQL_DATABASE,
        EVENT_STORE,
        CLOCK,
        ID_GENERATOR,
        ProjectionRunner,
        Metrics,
        CommandExecutor,
        WriteSide,
        ...(messaging ? [MessagingRuntime, MESSAGE_BUS] : []),
      ],
    };
  }
}
