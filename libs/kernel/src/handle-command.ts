import type { Decider } from './decider.js';
import { fold } from './decider.js';
import type { AppendResult, EventStore } from './event-store.js';
import type { DomainEvent, EventMetadata, NewEvent } from './events.js';
import type { IdGenerator } from './ids.js';
import { uuidGenerator } from './ids.js';

export interface HandleCommandOptions {
  readonly ids?: IdGenerator;
}

export interface CommandResult<Event extends DomainEvent, State> {
  readonly events: readonly Event[];
  readonly state: State;
  readonly append: AppendResult | null;
}

/**
 * Read the stream, fold it, decide, append with the version read (optimistic concurrency).
 * A concurrent writer makes the append throw WrongExpectedVersion (a Conflict): nothing is stored.
 * A command that decides nothing appends nothing.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: EventMetadata,
  options: HandleCommandOptions = {},
): Promise<CommandResult<Event, State>> {
  const ids = options.ids ?? uuidGenerator;
  const history = await store.readStream(streamId);
  const state = fold(decider, history as unknown as Event[]);
  const events = decider.decide(command, state);
  const newState = events.reduce((s, e) => decider.evolve(s, e), state);
  if (events.length === 0) return { events, state: newState, append: null };
  const toAppend: NewEvent[] = events.map((e) => ({ eventId: ids.next(), type: e.type, data: e.data, metadata }));
  const append = await store.append(streamId, toAppend, history.length);
  return { events, state: newState, append };
}
