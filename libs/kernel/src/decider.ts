import type { DomainEvent } from './events.js';

/**
 * A decider: the whole write-side behaviour of one aggregate, without I/O.
 * decide() turns a command and the current state into new events (or throws a coded error);
 * evolve() folds one event into the state; it must be pure and total.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
