import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = Buffer.alloc(1024 * 1024, 0xa5);

/**
 * A small tmpfs of the test's own, to serve as a data directory whose disk can be filled: root in a
 * container writes through chmod, so only a real file system of limited size gives a real ENOSPC.
 * Filling is another file taking the space, as a neighbour on a shared disk would.
 */
export class SmallTmpfs {
  private readonly filler: string;

  private constructor(readonly dir: string) {
    this.filler = join(dir, 'filler');
  }

  /** Mounts one of `sizeMiB`, or says why this machine does not allow it. */
  static mount(sizeMiB: number): SmallTmpfs | { refused: string } {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-fault-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
      return new SmallTmpfs(dir);
    } catch (error) {
      rmdirSync(dir);
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      return { refused: stderr || String(error) };
    }
  }

  freeBytes(): number {
    const fs = statfsSync(this.dir);
    return fs.bavail * fs.bsize;
  }

  /** Takes all the free space but `leaveBytes`. */
  fill(leaveBytes: number): void {
    let toWrite = this.freeBytes() - leaveBytes;
    const fd = openSync(this.filler, 'a');
    try {
      while (toWrite > 0) toWrite -= writeSync(fd, CHUNK, 0, Math.min(CHUNK.length, toWrite));
    } finally {
      closeSync(fd);
    }
  }

  release(): void {
    rmSync(this.filler, { force: true });
  }

  /** Lazily if a process still holds a file there, so a failed test never leaves it mounted. */
  unmount(): void {
    try {
      execFileSync('umount', [this.dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
