import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialisePgliteDataDir } from './pglite-data-dir.js';
import { PgliteDatabase } from './pglite-database.js';

describe('PgliteDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pglite-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a fresh data directory (in a child process) and runs with the configured buffer cache', async () => {
    const dataDir = join(dir, 'fresh');
    const db = await PgliteDatabase.open(dataDir, { sharedBuffersMb: 8 });
    try {
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      expect(await db.query<{ shared_buffers: string }>('SHOW shared_buffers')).toEqual([{ shared_buffers: '8MB' }]);
    } finally {
      await db.close();
    }
  });

  it('says why a data directory cannot be created', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await expect(initialisePgliteDataDir(join(file, 'db'))).rejects.toThrow(/initialising the database failed \(exit 1\): .+/);
  });
});
