import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, loopback port), so a
 * case can stop and start it without touching the shared server. Uses the Debian binaries that
 * scripts/services.sh installs; as root it runs them as the `postgres` user (postgres refuses root).
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  static create(port: number): PrivatePostgres {
    const bin = PrivatePostgres.binaries();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-fault-pg-'));
    const server = new PrivatePostgres(bin, dir, port);
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    server.run('initdb', ['-D', join(dir, 'data'), '-U', 'ledger', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    return server;
  }

  /** The newest installed major's bin directory (PG_BIN overrides). */
  private static binaries(): string {
    if (process.env['PG_BIN']) return process.env['PG_BIN'];
    const root = '/usr/lib/postgresql';
    const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
    const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
    if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (bash scripts/services.sh up installs them)');
    return join(root, newest, 'bin');
  }

  url(database = 'postgres'): string {
    return `postgres://ledger@127.0.0.1:${this.port}/${database}`;
  }

  start(): void {
    const options = `-c listen_addresses=127.0.0.1 -c port=${this.port} -c unix_socket_directories=${this.dir}`;
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  }

  /** `immediate`: the server stops without a checkpoint, as on a crash; the next start replays its WAL. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', '-t', '60', 'stop']);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: readonly string[]): void {
    const command = join(this.bin, tool);
    const asRoot = process.getuid?.() === 0;
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
    execFileSync(file, argv, { stdio: 'pipe', cwd: this.dir });
  }
}
