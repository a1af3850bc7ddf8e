import { statfs } from 'node:fs/promises';

/**
 * PostgreSQL (PGlite too) grows its write-ahead log 16 MiB at a time and cannot go on without the
 * next segment; PGlite does not fail then but spins for good. So the embedded store keeps two
 * segments free: below that it refuses transactions, as PostgreSQL does when its disk is full.
 */
export const DATA_DIR_RESERVE_BYTES = 32 * 1024 * 1024;

/** How long a free-space reading is reused: statfs per transaction would cost more than the commit. */
const READING_TTL_MS = 500;

/** Refuses writes while the filesystem of a directory has less than `reserveBytes` free. */
export class DiskReserve {
  private readAt = 0;
  private freeBytes = Number.POSITIVE_INFINITY;

  constructor(
    readonly dir: string,
    readonly reserveBytes = DATA_DIR_RESERVE_BYTES,
  ) {}

  /** Bytes free for unprivileged writers, as last read (at most READING_TTL_MS old). */
  async free(): Promise<number> {
    if (Date.now() - this.readAt >= READING_TTL_MS) {
      const fs = await statfs(this.dir);
      this.freeBytes = fs.bavail * fs.bsize;
      this.readAt = Date.now();
    }
    return this.freeBytes;
  }

  /** Throws a disk-full error (SQLSTATE 53100, which the HTTP layer answers with 503) below the reserve. */
  async assertRoom(): Promise<void> {
    const free = await this.free();
    if (free < this.reserveBytes) {
      throw Object.assign(
        new Error(`${free} bytes free in ${this.dir}, under the ${this.reserveBytes} the embedded store keeps in reserve`),
        { code: '53100' },
      );
    }
  }
}
