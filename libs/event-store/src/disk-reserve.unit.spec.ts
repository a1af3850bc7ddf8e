import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStoreUnavailable } from './store-unavailable.js';
import { DiskReserve } from './disk-reserve.js';

describe('DiskReserve (the real filesystem of a temporary directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-reserve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets writes through while more than the reserve is free', async () => {
    const reserve = new DiskReserve(dir, 1);
    expect(await reserve.free()).toBeGreaterThan(1);
    await expect(reserve.assertRoom()).resolves.toBeUndefined();
  });

  it('refuses them with PostgreSQL disk_full (53100) below the reserve, which is not taken for the store being away', async () => {
    const reserve = new DiskReserve(dir, Number.MAX_SAFE_INTEGER);
    const refusal = await reserve.assertRoom().catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      code: '53100',
      message: expect.stringMatching(/bytes free in .* under the \d+ the embedded store keeps in reserve/),
    });
    expect(isStoreUnavailable(refusal)).toBe(false);
  });
});
