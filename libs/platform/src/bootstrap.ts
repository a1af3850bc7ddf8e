import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setFlagsFromString } from 'node:v8';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app-config.js';
import { readAppConfig } from './config/app-config.js';
import { ConfigError, SettingsReader } from './config/settings-reader.js';
import type { AppSpec, ContextHost } from './app-definition.js';
import { PlatformModule } from './platform.module.js';
import { ShutdownHooks } from './shutdown-hooks.js';
import { configureHttp } from './http/configure-http.js';
import type { AppInfrastructure } from './app-infrastructure.js';
import { describe, StartupError } from '#event-store';
import { openInfrastructure } from '#event-store/adapters';
import { KafkaConnection, InProcessMessageBus } from '#messaging/adapters';
import type { MessageBus } from '#messaging';
import { nestMessagingLog } from './messaging/nest-messaging-log.js';
import { dataDirSpaceCheck } from './observability/data-dir-space-check.js';
import type { HealthCheck } from '#event-store';

/**
 * Node 20's V8 can abort the process ("unreachable code" in the deoptimizer) when it deoptimises
 * a function while inside a JS→WebAssembly call it inlined; under sustained load the embedded
 * Cedar engine's calls hit it within minutes. Not inlining those calls avoids it, at no measurable
 * cost; it must be set before the hot code is optimised, hence at startup.
 */
function avoidV8WasmInliningCrash(): void {
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
}

/**
 * V8 settings that trade a little speed for memory (README: configuration, memory). One background
 * compilation task for WebAssembly: every compiler thread leaves its own malloc arena behind
 * (20-30 MB each, kept after PGlite's tier-up). `--optimize-for-size` makes the heap grow less
 * between collections. Both must be set before PGlite's module is compiled and the heap grows.
 */
function tuneV8ForMemory(config: AppConfig): void {
  setFlagsFromString('--wasm-num-compilation-tasks=1');
  if (config.optimizeForSize) setFlagsFromString('--optimize-for-size');
}

/** Every context's settings, read together, keyed by context name. */
export type ContextSettings = ReadonlyMap<string, unknown>;

/**
 * Reads the platform's and every hosted context's settings in one pass, so a bad environment is
 * reported whole in one line (ConfigError lists every problem).
 */
export function readAppSettings(spec: AppSpec, env: NodeJS.ProcessEnv = process.env): { config: AppConfig; contexts: ContextSettings } {
  const read = new SettingsReader(env);
  const config = readAppConfig(read);
  const contexts = new Map(spec.contexts.map((context) => [context.name, context.settings(read)] as const));
  read.throwIfInvalid();
  return { config, contexts };
}

/** Opens dependencies, builds the Nest app from the spec's contexts and configures HTTP, without listening. */
export async function createApp(spec: AppSpec, config: AppConfig): Promise<NestExpressApplication> {
  avoidV8WasmInliningCrash();
  tuneV8ForMemory(config);
  // The contexts read their settings from the environment the platform's came from.
  const { contexts: settings } = readAppSettings(spec, config.env);
  if (spec.requiresDatabase && config.store === 'embedded') {
    throw new StartupError(`${spec.name} runs against PostgreSQL or KurrentDB: set DATABASE_URL (and EVENT_STORE)`);
  }
  if (spec.requiresKafka && !config.kafkaBrokers) throw new StartupError(`${spec.name} publishes to Kafka: set KAFKA_BROKERS`);
  const healthChecks: HealthCheck[] = [];
  let kafka: KafkaConnection | null = null;
  if (config.kafkaBrokers) {
    try {
      kafka = await KafkaConnection.connect(config.kafkaBrokers, config.kafkaClientId ?? spec.name);
    } catch (error) {
      throw new StartupError(`cannot reach Kafka brokers ${config.kafkaBrokers.join(',')}: ${describe(error)}`);
    }
    healthChecks.push(kafka.healthCheck());
  }
  const opened = await openInfrastructure({ ...config, applicationName: spec.name });
  if (opened.db.kind === 'pglite') healthChecks.push(dataDirSpaceCheck(config.dataDir));
  const bus: MessageBus = kafka
    ? kafka.messageBus({
        topicPrefix: config.kafkaTopicPrefix,
        partitions: config.kafkaTopicPartitions,
        replicationFactor: config.kafkaReplicationFactor,
        log: nestMessagingLog('kafka'),
      })
    : new InProcessMessageBus();
  const infrastructure: AppInfrastructure = { ...opened, bus, healthChecks };
  const host: ContextHost = { config, roles: spec.roles ?? {} };
  const projections = spec.contexts.flatMap((context) => context.projections?.(settings.get(context.name)) ?? []);
  const relay = spec.roles?.relay;
  @Module({})
  class RootModule {}
  const root: DynamicModule = {
    module: RootModule,
    imports: [
      PlatformModule.forRoot({
        config,
        infrastructure,
        projections,
        ...(relay ? { messaging: { relay: { mappers: relay.publish } } } : {}),
      }),
      ...spec.contexts.map((context) => context.module(settings.get(context.name), host)),
    ],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, { bufferLogs: true, bodyParser: false });
  configureHttp(app, config, { title: spec.title, description: spec.description });
  if (kafka) {
    const connection = kafka;
    app.get(ShutdownHooks).add(() => connection.close());
  }
  return app;
}

/** Entry point of every app: on a bad environment or unreachable dependency, one clear line and exit 1. */
export async function runApp(spec: AppSpec): Promise<void> {
  try {
    const { config } = readAppSettings(spec);
    const app = await createApp(spec, config);
    await app.listen(config.port, config.host);
    app.getHttpServer().requestTimeout = 30000;
  } catch (error) {
    const reason = error instanceof ConfigError || error instanceof StartupError ? error.message : describe(error);
    process.stderr.write(`${spec.name}: cannot start: ${reason}\n`);
    process.exit(1);
  }
}
