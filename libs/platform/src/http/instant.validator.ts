import { ValidateBy, type ValidationOptions } from 'class-validator';
import { instantProblem } from '#kernel';

/**
 * A date-time every reader can hold: between 1970-01-01 and 9999-12-31 (UTC), and readable by
 * JavaScript Date (see instantProblem). Put it next to IsISO8601, which checks the syntax; values
 * that are not strings are left to the other validators.
 */
export function IsSupportedInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSupportedInstant',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || instantProblem(value) === undefined,
        defaultMessage: (args) => (typeof args?.value === 'string' ? (instantProblem(args.value) ?? '') : ''),
      },
    },
    options,
  );
}
