import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from './pglite-database.js';
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

describe('SqlEventStore.readAll with onlyDataOf (embedded PGlite)', () => {
  it('sends other types as stubs without data or metadata', async () => {
    const db = await PgliteDatabase.open();
    const store = new SqlEventStore(db);
    await store.migrate();
    const meta = { actor: 'a', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' };
    await store.append(
      's-1',
      [
        { eventId: 'e1', type: 'Wanted', data: { n: 1 }, metadata: meta },
        { eventId: 'e2', type: 'Other', data: { n: 2 }, metadata: meta },
      ],
      'no_stream',
    );
    const [wanted, other] = await store.readAll('0:0', { onlyDataOf: ['Wanted'] });
    expect(wanted).toMatchObject({ eventId: 'e1', data: { n: 1 }, metadata: meta });
    expect(other).toMatchObject({ eventId: 'e2', type: 'Other', streamId: 's-1', streamVersion: 2, data: {}, metadata: {} });
    await db.close();
  });
});
