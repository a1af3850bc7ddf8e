import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { HealthCheck, HealthDetails } from '#event-store';
import type { ProjectionRunner } from './projection-runner.js';

/**
 * The read models in /health: degraded, never down, when one set events aside or keeps failing,
 * with the projection, its version and where it is. The app still serves; reads of that model
 * lack the events named at GET /v1/admin/projections.
 */
export function projectionsHealthCheck(runner: ProjectionRunner): HealthCheck {
  return {
    name: 'projections',
    check: async (): Promise<HealthDetails> => {
      const statuses = runner.status();
      const quarantined = await runner.quarantined();
      const withQuarantine = statuses
        .filter((s) => (quarantined.get(s.name)?.count ?? 0) > 0)
        .map((s) => {
          const { count, first } = quarantined.get(s.name)!;
          return { projection: s.name, version: s.version, quarantinedEvents: count, firstQuarantinedAt: first, position: s.cursor };
        });
      const failing = statuses
        .filter((s) => s.error !== null)
        .map((s) => ({ projection: s.name, version: s.version, position: s.cursor, error: s.error }));
      if (withQuarantine.length === 0 && failing.length === 0) return { status: 'up' };
      return {
        status: 'degraded',
        ...(withQuarantine.length > 0 ? { quarantined: withQuarantine } : {}),
        ...(failing.length > 0 ? { failing } : {}),
      };
    },
  };
}

/** `ledger_projection_quarantined_events{projection}`: read from the database at each scrape, so every replica reports the same. */
export function registerProjectionMetrics(runner: ProjectionRunner, registry: Registry): void {
  new Gauge({
    name: 'ledger_projection_quarantined_events',
    help: 'Events a read model set aside because it could not apply them (see GET /v1/admin/projections)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      try {
        for (const [projection, { count }] of await runner.quarantined()) this.set({ projection }, count);
      } catch {
        // the database is away: /health says so; keep the last figures
      }
    },
  });
}
