import type { HealthCheck } from '#event-store';
import { DATA_DIR_RESERVE_BYTES, DiskReserve } from '#event-store';

/**
 * /health `dataDir`: the free space where the embedded store keeps its files; down below the
 * reserve, where the store refuses writes (see DiskReserve).
 */
export function dataDirSpaceCheck(dataDir: string, reserveBytes = DATA_DIR_RESERVE_BYTES): HealthCheck {
  const reserve = new DiskReserve(dataDir, reserveBytes);
  return {
    name: 'dataDir',
    async check() {
      const freeBytes = await reserve.free();
      if (freeBytes < reserveBytes) {
        throw new Error(`${freeBytes} bytes free in the data directory, under the ${reserveBytes} the embedded store keeps in reserve`);
      }
      return { freeBytes };
    },
  };
}
