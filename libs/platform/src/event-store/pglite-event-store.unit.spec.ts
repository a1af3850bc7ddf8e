import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '../sql/pglite-database.js';
import { eventStoreContract } from './event-store.contract.js';
import { SqlEventStore } from './sql-event-store.js';

describe('event store contract: embedded (PGlite, persisted to a data directory)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  eventStoreContract({
    async open() {
      const db = await PgliteDatabase.open(dataDir);
      const store = new SqlEventStore(db);
      await store.migrate();
      return Object.assign(store, { close: async () => db.close() });
    },
  });
});
