import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Creates a PGlite data directory in a child process, unless it holds a database already.
 * PGlite runs initdb in the calling process, through a second, temporary PostgreSQL instance:
 * several hundred MB more at the peak, of which the allocator keeps over 100 MB after they are
 * collected. A child process gives all of it back to the system when it exits, so the app opens
 * a fresh directory with the memory of a restart.
 */
export async function initialisePgliteDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `require(${JSON.stringify(entry)}).PGlite.create(process.argv[1]).then((db) => db.close())`;
  const child = spawn(process.execPath, ['-e', script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`initialising the database failed (exit ${code}): ${stderr.trim() || 'no message'}`);
}
