import type { DynamicModule } from '@nestjs/common';
import type { IntegrationEventDeclaration } from '#messaging';
import type { AppConfig } from './config/app-config.js';
import type { SettingsLoader } from './config/settings-reader.js';
import type { Projection } from './projections/projection.js';

/**
 * Single-runner jobs an app may host. Any number of replicas may host one: a leader lock per
 * store keeps exactly one active and the others on standby.
 * - `sealer`: seals the global order into the audit log (the Audit context's job).
 * - `relay`: publishes integration events from the store to the bus.
 */
export interface AppRoles {
  readonly sealer?: boolean;
  /** The integration events this app's relay publishes: normally every context's, wherever it runs. */
  readonly relay?: { readonly publish: readonly IntegrationEventDeclaration[] };
}

/** What a context's module is told about the app hosting it. */
export interface ContextHost {
  readonly config: AppConfig;
  readonly roles: AppRoles;
}

/**
 * How an app hosts one bounded context: the settings it reads (with every other context's, in
 * one pass, so startup reports all problems in one line), its Nest module and its read models.
 * Each context exports its definitions from its index.ts; apps list them.
 */
export interface ContextDefinition<S = unknown> {
  readonly name: string;
  readonly settings: SettingsLoader<S>;
  readonly module: (settings: S, host: ContextHost) => DynamicModule;
  /** Read models the platform runs for this context in the app. */
  readonly projections?: (settings: S) => readonly Projection[];
}

/** Keeps a definition's settings type tied to its module and projections. */
export function defineContext<S>(definition: ContextDefinition<S>): ContextDefinition<S> {
  return definition;
}

/** An app: which contexts it serves, which single-runner roles it takes, and what it refuses to run without. */
export interface AppSpec {
  /** Process name, printed in startup errors. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition keeps its own settings type
  readonly contexts: readonly ContextDefinition<any>[];
  readonly roles?: AppRoles;
  /** Production context apps refuse the embedded store. */
  readonly requiresDatabase?: boolean;
  /** Apps whose work is publishing to Kafka refuse to start without KAFKA_BROKERS. */
  readonly requiresKafka?: boolean;
}
