import type { FactoryProvider } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AppendResult,
  Clock,
  CommandOutcome,
  CommandResult,
  Decider,
  DomainEvent,
  EventMetadata,
  EventStore,
  ExecuteAllOptions,
  IdGenerator,
  StreamAppend,
  StreamCommand,
} from '#kernel';
import { CommandExecutor } from '#kernel';
import type { AccessRequest, Authorization, Authorizer } from './auth/authorizer.js';
import { AUTHORIZER } from './auth/authorizer.js';
import { Metrics } from './observability/metrics.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { CLOCK, EVENT_STORE, ID_GENERATOR } from './tokens.js';

/** Who is acting and in which context; the write side adds time and ids. */
export interface CommandContext {
  readonly actor: string;
  readonly context: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly project?: string;
}

/**
 * The app's one CommandExecutor: every append goes through it, and it counts what was stored in
 * `ledger_events_appended_total` by each event's context.
 */
export const commandExecutorProvider: FactoryProvider<CommandExecutor> = {
  provide: CommandExecutor,
  inject: [EVENT_STORE, ID_GENERATOR, Metrics],
  useFactory: (store: EventStore, ids: IdGenerator, metrics: Metrics) =>
    new CommandExecutor(store, { ids, onCommitted: (appended) => countAppended(metrics, appended) }),
};

function countAppended(metrics: Metrics, appended: readonly AppendResult[]): void {
  const byContext = new Map<string, number>();
  for (const a of appended) {
    for (const e of a.events) {
      const context = typeof e.metadata.context === 'string' ? e.metadata.context : 'unknown';
      byContext.set(context, (byContext.get(context) ?? 0) + 1);
    }
  }
  for (const [context, n] of byContext) metrics.eventsAppended.inc({ context }, n);
}

/**
 * The command side every context uses: ask the policy decision point, run the command through its
 * decider, and commit the record of the decision that allowed it in the same commit as its events
 * (alone when it decides nothing). A refusal is recorded alone and thrown as Forbidden naming the
 * rule; allowed reads are not recorded. `execute` then waits until the in-process read models have
 * seen the result, so the caller can read its own writes (a token revoked is refused on the next
 * request).
 */
@Injectable()
export class WriteSide {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly projections: ProjectionRunner,
  ) {}

  /**
   * Asks the decision point ahead of `execute`, for a handler that must check something only an
   * authorized caller may learn (that a stream exists) before it runs the command. Pass the answer
   * to `execute`, which commits its record with the command's events.
   */
  authorize(request: AccessRequest): Promise<Authorization> {
    return this.authorizer.authorize(request);
  }

  /**
   * Runs one command on one stream. `access` is the request to decide (or its answer, from
   * `authorize`), or null for a command no caller asks for (the bootstrap of an empty store).
   */
  async execute<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    ctx: CommandContext,
    access: AccessRequest | Authorization | null,
  ): Promise<CommandResult<E, S>> {
    const authorization = access === null || 'decision' in access ? access : await this.authorizer.authorize(access);
    const result = await this.executor.execute(
      { streamId, decider, command, metadata: this.metadata(ctx) },
      authorization?.record ? [authorization.record] : [],
    );
    if (result.append) await this.projections.waitFor(result.append.lastCursor);
    return result;
  }

  /**
   * Runs commands on distinct streams, each with the metadata it carries, in one commit with
   * `alongside`: the records (Authorization.record) of the decisions that allowed them. See
   * CommandExecutor.executeAll. For high-volume writers (ingest), which do not wait for read models.
   */
  executeAll(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    commands: readonly StreamCommand<any, DomainEvent, any>[],
    alongside: readonly StreamAppend[],
    options: ExecuteAllOptions = {},
  ): Promise<CommandOutcome<DomainEvent, unknown>[]> {
    return this.executor.executeAll(commands, alongside, options);
  }

  /** The stream's version, or null when it does not exist. */
  streamVersion(streamId: string): Promise<number | null> {
    return this.executor.store.streamVersion(streamId);
  }

  /** Reads one stream and folds it, for handlers that need the authoritative state. */
  load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; version: number }> {
    return this.executor.load(streamId, decider);
  }

  /** Event metadata for a command: actor, correlation, time, context, project. */
  metadata(ctx: CommandContext): EventMetadata {
    return {
      actor: ctx.actor,
      correlationId: ctx.correlationId ?? this.ids.next(),
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
      occurredAt: this.clock.now().toISOString(),
      context: ctx.context,
      ...(ctx.project ? { project: ctx.project } : {}),
    };
  }
}
