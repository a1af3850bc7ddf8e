/** Field-level detail of an invalid input; `pointer` is a JSON Pointer (RFC 6901) into the input. */
export interface FieldError {
  readonly pointer: string;
  readonly message: string;
}

export type ErrorCode = 'NotFound' | 'Conflict' | 'Forbidden' | 'Invalid' | 'IllegalState' | 'Unauthenticated';

/** Base of the few coded errors the domain raises; one HTTP filter maps them to problem+json. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly code = 'NotFound' as const;
}

export class Conflict extends DomainError {
  readonly code = 'Conflict' as const;
}

export class IllegalState extends DomainError {
  readonly code = 'IllegalState' as const;
}

export class Unauthenticated extends DomainError {
  readonly code = 'Unauthenticated' as const;
}

/** Refusal by policy; `rule` names the rule that refused so callers can tell why. */
export class Forbidden extends DomainError {
  readonly code = 'Forbidden' as const;
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

export class Invalid extends DomainError {
  readonly code = 'Invalid' as const;
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/** The stream moved on since it was read: optimistic concurrency lost. */
export class WrongExpectedVersion extends Conflict {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersionLike,
    readonly actual: number | null,
  ) {
    super(`stream ${streamId} is at version ${actual ?? 'none'}, expected ${String(expected)}`);
  }
}

type ExpectedVersionLike = number | 'any' | 'no_stream';
