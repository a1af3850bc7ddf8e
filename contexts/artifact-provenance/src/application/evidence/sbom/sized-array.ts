/**
 * Arrays sized up front for the items a reader may keep. `[]` grown by push reserves 17 slots at
 * the first push (about 180 bytes on 64-bit Node), so the one or two hashes and licenses of each
 * of 10,000 components allocated more than the summary itself; and allocation while a freshly
 * parsed document is still young makes the scavenger copy that document.
 */
export const sizedArray = <T>(capacity: number): T[] => new Array<T>(capacity);

/** The first `used` items of an array from sizedArray (the rest were never set). */
export function keepFirst<T>(array: T[], used: number): T[] {
  if (used < array.length) array.length = used;
  return array;
}
