import { START } from '#kernel';
import { PgliteDatabase } from './pglite-database.js';
import { CheckpointStore } from './checkpoint-store.js';

describe('CheckpointStore', () => {
  let db: PgliteDatabase;
  beforeAll(async () => {
    db = await PgliteDatabase.open();
  });
  afterAll(() => db.close());

  it('starts every subscriber at START and keeps one position per name', async () => {
    const store = new CheckpointStore(db, 'test_checkpoints');
    await store.migrate();
    await store.migrate(); // idempotent
    expect(await store.load('a')).toBe(START);
    await store.save('a', '0000000000000001:0000000000000007');
    await store.save('b', '0000000000000001:0000000000000002');
    await store.save('a', '0000000000000002:0000000000000009');
    expect(await store.load('a')).toBe('0000000000000002:0000000000000009');
    expect(await store.load('b')).toBe('0000000000000001:0000000000000002');
  });

  it("saves inside the caller's transaction: rolled back with it", async () => {
    const store = new CheckpointStore(db, 'test_checkpoints');
    await store.migrate();
    await expect(
      db.transaction(async (tx) => {
        await store.save('c', '0000000000000003:0000000000000001', tx);
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await store.load('c')).toBe(START);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => new CheckpointStore(db, 'x; DROP TABLE events')).toThrow(RangeError);
  });
});
