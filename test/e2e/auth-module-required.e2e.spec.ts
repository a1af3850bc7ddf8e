import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { Infrastructure } from '#event-store/adapters';
import { openInfrastructure } from '#event-store/adapters';
import { AUTHENTICATOR, AUTHORIZER, loadConfig, loadSettings, PlatformModule, WriteSide } from '#platform';
import { accessControlContext, AccessControlAuthModule, readAccessControlSettings } from '../../contexts/access-control/src/index.js';

describe('an app must import the auth module', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  let infrastructure: Infrastructure;

  beforeAll(async () => {
    infrastructure = await openInfrastructure(config);
  });
  afterAll(async () => {
    await infrastructure.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails at startup, on the unresolved token, when it does not: not at the first request', async () => {
    const building = Test.createTestingModule({ imports: [PlatformModule.forRoot({ config, infrastructure, projections: [] })] }).compile();
    const error: unknown = await building.then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error | null)?.constructor.name).toBe('UnknownDependenciesException');
    expect((error as Error).message).toMatch(/can't resolve dependencies[\s\S]*Symbol\((AUTHENTICATOR|AUTHORIZER)\)/);
  });

  it('starts when it does, with the guard, the write side and every context seeing its tokens', async () => {
    const settings = loadSettings(readAccessControlSettings, {});
    const app = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({ config, infrastructure, projections: accessControlContext.projections?.(settings) ?? [] }),
        AccessControlAuthModule.forRoot(settings),
      ],
    }).compile();
    expect(app.get(AUTHORIZER)).toBeDefined();
    expect(app.get(AUTHENTICATOR)).toBeDefined();
    expect(app.get(WriteSide)).toBeInstanceOf(WriteSide);
    await app.close();
  });
});
