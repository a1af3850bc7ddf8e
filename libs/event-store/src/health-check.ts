/**
 * A named readiness probe of one dependency or background worker. It resolves when usable,
 * optionally with details to report; details with `status: 'degraded'` mean the app still serves
 * but something needs an operator (e.g. a read model set an event aside). It rejects when the
 * app cannot serve (its store is away).
 */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void | HealthDetails>;
}

export type HealthDetails = Record<string, unknown> & { readonly status?: 'up' | 'degraded' };
