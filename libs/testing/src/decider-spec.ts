import type { Decider, DomainEvent } from '#kernel';
import { fold } from '#kernel';

/**
 * Given/when/then for deciders:
 *   deciderSpec(decider).given([events]).when(command).then([expected events])
 *   ...or .thenThrows(ErrorClass, /message/)
 */
export function deciderSpec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(history: readonly E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, fold(decider, history));
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorClass: new (...args: never[]) => Error, message?: RegExp): void {
              expect(run).toThrow(errorClass);
              if (message) expect(run).toThrow(message);
            },
            thenState(check: (state: S) => void): void {
              const events = run();
              check(events.reduce((s, e) => decider.evolve(s, e), fold(decider, history)));
            },
          };
        },
      };
    },
  };
}
