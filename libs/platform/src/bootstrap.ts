import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setFlagsFromString } from 'node:v8';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app-config.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { configureHttp } from './http/configure-http.js';
import type { AppInfrastructure } from './app-infrastructure.js';
import { describe, StartupError } from '#event-store';
import { openInfrastructure } from '#event-store/adapters';
import { KafkaConnection, InProcessMessageBus } from '#messaging/adapters';
import type { MessageBus } from '#messaging';
import { nestMessagingLog } from './messaging/nest-messaging-log.js';
import type { HealthCheck } from '#event-store';

export interface AppSpec {
  /** Process name, printed in startup errors. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Production context apps refuse the embedded store. */
  readonly requiresDatabase?: boolean;
  /** Apps whose work is publishing to Kafka refuse to start without KAFKA_BROKERS. */
  readonly requiresKafka?: boolean;
  /** The app's root module, given what was opened. */
  readonly module: (deps: { config: AppConfig; infrastructure: AppInfrastructure; healthChecks: HealthCheck[] }) => DynamicModule;
}

/**
 * Node 20's V8 can abort the process ("unreachable code" in the deoptimizer) when it deoptimises
 * a function while inside a JS→WebAssembly call it inlined; under sustained load the embedded
 * Cedar engine's calls hit it within minutes. Not inlining those calls avoids it, at no measurable
 * cost; it must be set before the hot code is optimised, hence at startup.
 */
function avoidV8WasmInliningCrash(): void {
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
}

/** Opens dependencies, builds the Nest app and configures HTTP, without listening. */
export async function createApp(spec: AppSpec, config: AppConfig): Promise<NestExpressApplication> {
  avoidV8WasmInliningCrash();
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
  const opened = await openInfrastructure(config);
  const bus: MessageBus = kafka
    ? kafka.messageBus({
        topicPrefix: config.kafkaTopicPrefix,
        partitions: config.kafkaTopicPartitions,
        replicationFactor: config.kafkaReplicationFactor,
        log: nestMessagingLog('kafka'),
      })
    : new InProcessMessageBus();
  const infrastructure: AppInfrastructure = { ...opened, bus };
  @Module({})
  class RootModule {}
  const root = spec.module({ config, infrastructure, healthChecks });
  const app = await NestFactory.create<NestExpressApplication>({ ...root, module: RootModule }, { bufferLogs: true, bodyParser: false });
  configureHttp(app, config, { title: spec.title, description: spec.description });
  if (kafka) {
    const connection = kafka;
    app.get(ShutdownHooks).add(() => connection.close());
  }
  return app;
}

/** Shutdown work registered by bootstrap code outside Nest's providers. */
export class ShutdownHooks {
  private readonly hooks: (() => Promise<void>)[] = [];
  add(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }
  async onApplicationShutdown(): Promise<void> {
    for (const hook of this.hooks) await hook().catch(() => undefined);
  }
}

/** Entry point of every app: on a bad environment or unreachable dependency, one clear line and exit 1. */
export async function runApp(spec: AppSpec): Promise<void> {
  try {
    const config = loadConfig();
    const app = await createApp(spec, config);
    await app.listen(config.port, config.host);
    app.getHttpServer().requestTimeout = 30000;
  } catch (error) {
    const reason = error instanceof ConfigError || error instanceof StartupError ? error.message : describe(error);
    process.stderr.write(`${spec.name}: cannot start: ${reason}\n`);
    process.exit(1);
  }
}
