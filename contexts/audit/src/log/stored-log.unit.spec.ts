import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { SqlEventStore, InProcessLock, PgliteDatabase } from '#event-store/adapters';
import { exportLogChunks, verifyExportLines } from './log-export.js';
import { SealStore } from './seal-store.js';
import { SealedLog } from './sealed-log.js';
import { Sealer } from './sealer.js';
import { generateSigningKeyPair } from '#transparency-log';
import { verifyStoredLog } from './stored-log.js';

const ORIGIN = 'test.compliance-ledger/audit';
const keys = generateSigningKeyPair();
const trust = { publicKey: keys.publicKey, origin: ORIGIN };

/**
 * Verification of the store against its sealed log, on the embedded store, with rows changed
 * behind the application's back (trigger disabled, as an attacker with database access would).
 */
describe('verifyStoredLog and the export (embedded store)', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let sealStore: SealStore;
  let events: RecordedEvent[];

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    sealStore = new SealStore(db);
    await sealStore.migrate();
    for (let i = 0; i < 12; i++) {
      await store.append(
        `thing-${randomUUID()}`,
        [
          {
            eventId: randomUUID(),
            type: 'ThingHappened',
            data: { i, label: `thing number ${i}` },
            metadata: { actor: 'a', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
          },
        ],
        'no_stream',
      );
    }
    const log = new SealedLog(sealStore, trust);
    const sealer = new Sealer({
      store,
      log,
      lock: new InProcessLock(db),
      signingKey: keys.privateKey,
      origin: ORIGIN,
      batchSize: 5,
      batchIntervalMs: 0,
    });
    sealer.start();
    await sealer.waitForTreeSize(12);
    await sealer.stop();
    events = await store.readAll(START, { limit: 100 });
  });
  afterEach(async () => db.close());

  const tamper = (sql: string) =>
    db.exec(`ALTER TABLE events DISABLE TRIGGER events_append_only; ${sql}; ALTER TABLE events ENABLE TRIGGER events_append_only;`);
  const exported = async (): Promise<string[]> => {
    let text = '';
    for await (const chunk of exportLogChunks(store, sealStore, (await sealStore.latestCheckpoint())!)) text += chunk;
    return text.split('\n');
  };

  it('accepts the untouched log, and so does the offline verifier of its export', async () => {
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({ ok: true, checkedEvents: 12, treeSize: 12, firstMismatchPosition: null, problem: null });
    const offline = await verifyExportLines(await exported(), { publicKey: keys.publicKey });
    expect(offline).toMatchObject({ ok: true, checkedEvents: 12, keySource: 'given' });
  });

  it('names the position of an event whose data changed by one character', async () => {
    const victim = events[6]!;
    await tamper(`UPDATE events SET data = jsonb_set(data, '{label}', '"thing number 7"') WHERE global_position = ${victim.position}`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({
      ok: false,
      problem: 'leaf-mismatch',
      firstMismatchPosition: victim.position,
      firstMismatchLeafIndex: 6,
    });
    expect(await verifyExportLines(await exported(), { publicKey: keys.publicKey })).toMatchObject({
      ok: false,
      firstMismatchPosition: victim.position,
    });
  });

  it('names the position of a deleted event, not of the one after it', async () => {
    const victim = events[3]!;
    await tamper(`DELETE FROM events WHERE global_position = ${victim.position}`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({
      ok: false,
      problem: 'leaf-mismatch',
      firstMismatchPosition: victim.position,
      firstMismatchLeafIndex: 3,
    });
    expect(await verifyExportLines(await exported(), { publicKey: keys.publicKey })).toMatchObject({
      ok: false,
      firstMismatchPosition: victim.position,
    });
  });

  it('names the first of two events whose contents were swapped', async () => {
    const [a, b] = [events[8]!, events[10]!];
    await tamper(`UPDATE events AS e SET data = o.data, metadata = o.metadata, type = o.type
      FROM events AS o WHERE (e.global_position, o.global_position) IN ((${a.position}, ${b.position}), (${b.position}, ${a.position}))`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({ ok: false, problem: 'leaf-mismatch', firstMismatchPosition: a.position });
  });

  it('notices the last sealed event missing', async () => {
    const victim = events[11]!;
    await tamper(`DELETE FROM events WHERE global_position = ${victim.position}`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({ ok: false, problem: 'missing-events', checkedEvents: 11, firstMismatchPosition: victim.position });
  });

  it('tells a rewritten leaf hash apart from a changed event', async () => {
    await db.exec(`ALTER TABLE audit_log_leaves DISABLE TRIGGER audit_log_leaves_append_only;
      UPDATE audit_log_leaves SET leaf_hash = decode(repeat('00', 32), 'hex') WHERE leaf_index = 2;
      ALTER TABLE audit_log_leaves ENABLE TRIGGER audit_log_leaves_append_only;`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({ ok: false, problem: 'stored-hash-mismatch', firstMismatchPosition: events[2]!.position });
  });

  it('flags a removed leaf record even though the events still match the signed root', async () => {
    await db.exec(`ALTER TABLE audit_log_leaves DISABLE TRIGGER audit_log_leaves_append_only;
      DELETE FROM audit_log_leaves WHERE leaf_index = 5;
      ALTER TABLE audit_log_leaves ENABLE TRIGGER audit_log_leaves_append_only;`);
    const result = await verifyStoredLog(store, sealStore, trust);
    expect(result).toMatchObject({
      ok: false,
      problem: 'stored-hash-mismatch',
      firstMismatchLeafIndex: 5,
      firstMismatchPosition: events[5]!.position,
    });
    expect(await verifyExportLines(await exported(), { publicKey: keys.publicKey })).toMatchObject({
      ok: false,
      problem: 'stored-hash-mismatch',
    });
  });

  it('rejects a checkpoint under another key before looking at any event', async () => {
    const other = generateSigningKeyPair();
    const result = await verifyStoredLog(store, sealStore, { publicKey: other.publicKey, origin: ORIGIN });
    expect(result).toMatchObject({ ok: false, problem: 'checkpoint-invalid', checkedEvents: 0 });
    expect(await verifyExportLines(await exported(), { publicKey: other.publicKey })).toMatchObject({
      ok: false,
      problem: 'checkpoint-invalid',
    });
  });
});
