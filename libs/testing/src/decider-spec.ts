import type { Decider, DomainEvent } from '#kernel';
import { fold } from '#kernel';

/**
 * Given/when/then for deciders:
 *   deciderSpec(decider).given([events]).when(command).then([expected events])
 *   ...or .thenThrows(ErrorClass, /message/), .thenThrows(ErrorClass, (error) => expect(error...)...)
 *   ...or .thenState((state) => expect(state)...) for the state after the decided events.
 * Group a decider's specs by the state they start from: `describe('given a granted role', …)`.
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
            thenThrows<T extends Error>(errorClass: new (...args: never[]) => T, check?: RegExp | ((error: T) => void)): void {
              expect(run).toThrow(errorClass);
              if (check instanceof RegExp) expect(run).toThrow(check);
              else if (check) {
                let error: unknown;
                try {
                  run();
                } catch (e) {
                  error = e;
                }
                check(error as T);
              }
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
