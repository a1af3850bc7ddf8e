import { loadConfig } from '../libs/platform/src/config/app-config.js';
import { PgliteDatabase } from '../libs/event-store/src/pglite-database.js';

/**
 * A baseline process of the memory benchmark: opens PGlite in BENCH_PGLITE_DIR with the options
 * the app would read from the same environment (or opens nothing without it), says `ready` and
 * waits to be told to stop. It imports nothing else, so its RSS is PGlite's and Node's alone.
 */
const dir = process.env['BENCH_PGLITE_DIR'];
const db = dir ? await PgliteDatabase.open(dir, loadConfig(process.env).pglite) : null;
if (db) await db.query('SELECT 1');
process.on('message', (message) => {
  if (message === 'stop') void (db?.close() ?? Promise.resolve()).then(() => process.exit(0));
});
process.send!('ready');
