import type { OnApplicationBootstrap, Provider } from '@nestjs/common';
import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { HealthCheck } from '#event-store';

const READINESS_CHECK = Symbol('READINESS_CHECK');

/**
 * Marks a provider class as a readiness check of /health. Any module may provide any number of
 * them; /health finds them all once the app has started, so module order does not matter.
 */
export const ReadinessCheck = (): ClassDecorator => SetMetadata(READINESS_CHECK, true);

/** A plain check object (built outside Nest, e.g. Kafka's) carried by a marked class. */
@ReadinessCheck()
class ProvidedCheck implements HealthCheck {
  constructor(private readonly inner: HealthCheck) {}
  get name(): string {
    return this.inner.name;
  }
  check(): ReturnType<HealthCheck['check']> {
    return this.inner.check();
  }
}

/** A provider for a check object, under a token of its own. */
export function readinessCheckProvider(check: HealthCheck): Provider {
  return { provide: Symbol(`readiness:${check.name}`), useValue: new ProvidedCheck(check) };
}

/** Every readiness check of the app, collected from its providers at bootstrap, sorted by name. */
@Injectable()
export class ReadinessChecks implements OnApplicationBootstrap {
  private found: readonly HealthCheck[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const checks = new Map<string, HealthCheck>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as (HealthCheck & object) | undefined;
      if (!instance || typeof instance !== 'object' || !Reflect.getMetadata(READINESS_CHECK, instance.constructor)) continue;
      if (checks.has(instance.name) && checks.get(instance.name) !== instance)
        throw new Error(`two readiness checks are named ${instance.name}`);
      checks.set(instance.name, instance);
    }
    this.found = [...checks.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  all(): readonly HealthCheck[] {
    return this.found;
  }
}
