import { Inject, Injectable } from '@nestjs/common';
import type { Clock, CommandResult, Decider, DomainEvent, EventMetadata, EventStore, IdGenerator } from '#kernel';
import { handleCommand } from '#kernel';
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
 * Runs a command through its decider and waits until the in-process read models have seen the
 * result, so the caller can read its own writes (a token revoked is refused on the next request).
 */
@Injectable()
export class WriteSide {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly projections: ProjectionRunner,
    private readonly metrics: Metrics,
  ) {}

  async execute<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    ctx: CommandContext,
  ): Promise<CommandResult<E, S>> {
    const metadata: EventMetadata = {
      actor: ctx.actor,
      correlationId: ctx.correlationId ?? this.ids.next(),
      ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
      occurredAt: this.clock.now().toISOString(),
      context: ctx.context,
      ...(ctx.project ? { project: ctx.project } : {}),
    };
    const result = await handleCommand(this.store, streamId, decider, command, metadata, { ids: this.ids });
    if (result.append) {
      this.metrics.eventsAppended.inc({ context: ctx.context }, result.append.events.length);
      await this.projections.waitFor(result.append.lastCursor);
    }
    return result;
  }

  /** Reads one stream and folds it, for queries that need the authoritative state. */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    return { state: events.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState()), version: events.length };
  }
}
