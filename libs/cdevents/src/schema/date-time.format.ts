/**
 * RFC 3339 `date-time` (section 5.6) with a mandatory offset: `Z` or `±hh:mm`. Stricter than
 * ajv-formats, which also takes `+hhmm` and `+hh`; those are ISO 8601 forms, not RFC 3339.
 * `T`, `t` and (per the RFC's note) a space separate date and time.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Value of `count` ASCII digits at `at`, or -1. Hand-parsed: this runs for every event. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const at = (s: string, i: number, ch: string): boolean => s.charCodeAt(i) === ch.charCodeAt(0);

export function isRfc3339DateTime(value: string): boolean {
  // yyyy-mm-ddThh:mm:ss[.frac](Z|±hh:mm)
  if (value.length < 20) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const sep = value.charCodeAt(10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  if (!at(value, 4, '-') || !at(value, 7, '-') || !at(value, 13, ':') || !at(value, 16, ':')) return false;
  if (sep !== 0x54 /* T */ && sep !== 0x74 /* t */ && sep !== 0x20 /* space */) return false;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > maxDay) return false;
  let i = 19;
  if (at(value, i, '.')) {
    i++;
    const fracStart = i;
    while (i < value.length && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
    if (i === fracStart) return false;
  }
  let offsetMinutes = 0;
  const zone = value.charCodeAt(i);
  if (zone === 0x5a /* Z */ || zone === 0x7a /* z */) {
    if (i + 1 !== value.length) return false;
  } else if (zone === 0x2b /* + */ || zone === 0x2d /* - */) {
    if (i + 6 !== value.length || !at(value, i + 3, ':')) return false;
    const oh = digits(value, i + 1, 2);
    const om = digits(value, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offsetMinutes = (zone === 0x2b ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  // A leap second can only occur at 23:59:60 UTC.
  if (second === 60) {
    const utcMinuteOfDay = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
    if (utcMinuteOfDay !== 1439) return false;
  }
  return true;
}
