/** A named readiness probe of one dependency; resolves when it is usable, optionally with details to report. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void | Record<string, unknown>>;
}
