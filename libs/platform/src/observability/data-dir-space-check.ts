import { statfs } from 'node:fs/promises';
import type { HealthCheck } from '#event-store';

/**
 * PostgreSQL (PGlite too) grows its write-ahead log 16 MiB at a time and cannot go on without the
 * next segment: below two of them the embedded store is about to stop taking writes.
 */
export const DATA_DIR_RESERVE_BYTES = 32 * 1024 * 1024;

/** /health `dataDir`: the free space where the embedded store keeps its files; down below the reserve. */
export function dataDirSpaceCheck(dataDir: string, reserveBytes = DATA_DIR_RESERVE_BYTES): HealthCheck {
  return {
    name: 'dataDir',
    async check() {
      const fs = await statfs(dataDir);
      const freeBytes = fs.bavail * fs.bsize;
      if (freeBytes < reserveBytes) {
        throw new Error(`${freeBytes} bytes free in the data directory, under the ${reserveBytes} the embedded store needs`);
      }
      return { freeBytes };
    },
  };
}
