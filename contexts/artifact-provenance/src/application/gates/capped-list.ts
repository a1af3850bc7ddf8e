/**
 * Items joined for a reason text, cut to a length a person reads and a record stores: a plan that
 * opens 500 rules, or one address of a few kilobytes, must not make a reason of megabytes.
 */
export const MAX_LISTED_ITEMS = 10;
export const MAX_LIST_CHARS = 800;
const MAX_ITEM_CHARS = 200;

const clip = (item: string): string => (item.length > MAX_ITEM_CHARS ? `${item.slice(0, MAX_ITEM_CHARS - 1)}…` : item);

export function cappedList(items: readonly string[], separator = ', '): string {
  const shown: string[] = [];
  let length = 0;
  for (const item of items) {
    const text = clip(item);
    const added = (shown.length > 0 ? separator.length : 0) + text.length;
    if (shown.length >= MAX_LISTED_ITEMS || (shown.length > 0 && length + added > MAX_LIST_CHARS)) break;
    shown.push(text);
    length += added;
  }
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(separator)} … and ${more} more` : shown.join(separator);
}
