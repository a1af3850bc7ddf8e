import pg from 'pg';
import { PostgresDatabase } from './postgres-database.js';
import { appendManyContract, eventStoreContract } from './event-store.contract.js';
import { SqlEventStore } from './sql-event-store.js';
import { testDatabaseUrl } from '#testing';

describe('event store contract: PostgreSQL (real server)', () => {
  const url = testDatabaseUrl();

  eventStoreContract({
    async open() {
      const db = new PostgresDatabase({ connectionString: url, maxConnections: 20 });
      const store = new SqlEventStore(db);
      await store.migrate();
      return Object.assign(store, { close: async () => db.close() });
    },
    async holdOpenAppend(_store, streamId, event) {
      // A second client inserts inside a transaction it keeps open, like a slow writer.
      const client = new pg.Client({ connectionString: url, options: '-c idle_in_transaction_session_timeout=10000' });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('BEGIN');
      await client.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES ($1, $2, 1, $3, $4, $5)`, [
        event.eventId,
        streamId,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      ]);
      return {
        async commit() {
          await client.query('COMMIT');
          await client.end();
        },
      };
    },
  });
});

describe('SqlEventStore.appendMany: PostgreSQL (real server)', () => {
  appendManyContract({
    async open() {
      const db = new PostgresDatabase({ connectionString: testDatabaseUrl(), maxConnections: 20 });
      const store = new SqlEventStore(db);
      await store.migrate();
      return Object.assign(store, { close: async () => db.close() });
    },
  });
});
