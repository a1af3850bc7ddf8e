import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { HealthCheck } from '#event-store';
import { ReadinessCheck, ReadinessChecks, readinessCheckProvider } from './readiness-checks.js';

@ReadinessCheck()
class SealerLikeCheck implements HealthCheck {
  readonly name = 'sealer';
  async check(): Promise<Record<string, unknown>> {
    return { state: 'sealing' };
  }
}

class NotACheck {
  readonly name = 'ignored';
  async check(): Promise<void> {}
}

@Module({ providers: [SealerLikeCheck, NotACheck] })
class ContextModule {}

@Module({
  imports: [DiscoveryModule],
  providers: [ReadinessChecks, readinessCheckProvider({ name: 'database', check: async () => undefined })],
})
class HostModule {}

async function namesWith(imports: unknown[]): Promise<string[]> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  const names = app
    .get(ReadinessChecks)
    .all()
    .map((c) => c.name);
  await app.close();
  return names;
}

describe('ReadinessChecks', () => {
  it('finds every marked provider of every module, whatever the module order', async () => {
    expect(await namesWith([HostModule, ContextModule])).toEqual(['database', 'sealer']);
    expect(await namesWith([ContextModule, HostModule])).toEqual(['database', 'sealer']);
  });

  it('refuses two different checks of one name', async () => {
    @Module({ providers: [readinessCheckProvider({ name: 'sealer', check: async () => undefined })] })
    class Clash {}
    await expect(namesWith([HostModule, ContextModule, Clash])).rejects.toThrow(/two readiness checks are named sealer/);
  });
});
