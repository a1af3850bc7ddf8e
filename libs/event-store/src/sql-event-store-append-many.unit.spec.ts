import { PgliteDatabase } from './pglite-database.js';
import { appendManyContract } from './event-store.contract.js';
import { SqlEventStore } from './sql-event-store.js';

describe('SqlEventStore.appendMany (embedded PGlite)', () => {
  appendManyContract({
    async open() {
      const db = await PgliteDatabase.open();
      const store = new SqlEventStore(db);
      await store.migrate();
      return Object.assign(store, { close: async () => db.close() });
    },
  });
});
