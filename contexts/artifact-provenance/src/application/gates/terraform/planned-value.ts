import { isJsonObject } from '../../evidence/json-fields.js';

/**
 * One value inside a planned `change.after`, paired with its `after_unknown` shadow. Terraform
 * leaves values known only after apply out of `after` (as `null` inside arrays, to keep the
 * positions) and marks them `true` in `after_unknown`; reading both together is what tells "not
 * set" from "not known yet". `path` is where the value sits, in Terraform's own spelling
 * (`ingress[0].cidr_blocks[1]`), for findings a person can look up in the plan.
 */
export class PlannedValue {
  private constructor(
    readonly value: unknown,
    private readonly mask: unknown,
    readonly path: string,
  ) {}

  static root(after: unknown, afterUnknown: unknown): PlannedValue {
    return new PlannedValue(after, afterUnknown, '');
  }

  /** Known only after apply, in whole. */
  get unknown(): boolean {
    return this.mask === true;
  }

  get(key: string): PlannedValue {
    const value = isJsonObject(this.value) ? this.value[key] : undefined;
    const mask = this.mask === true ? true : isJsonObject(this.mask) ? this.mask[key] : undefined;
    return new PlannedValue(value, mask, this.path === '' ? key : `${this.path}.${key}`);
  }

  /** The elements of a known list (or set); none when the list is unset or unknown. */
  items(): PlannedValue[] {
    if (this.unknown || !Array.isArray(this.value)) return [];
    const masks = Array.isArray(this.mask) ? (this.mask as unknown[]) : [];
    return (this.value as unknown[]).map((v, i) => new PlannedValue(v, masks[i], `${this.path}[${i}]`));
  }

  string(): string | undefined {
    return !this.unknown && typeof this.value === 'string' ? this.value : undefined;
  }

  number(): number | undefined {
    return !this.unknown && typeof this.value === 'number' ? this.value : undefined;
  }

  /** Known and set to something other than null. */
  get present(): boolean {
    return !this.unknown && this.value !== undefined && this.value !== null;
  }
}

/** A list attribute as separate values, or itself when the whole list is known only after apply. */
export const elementsOf = (list: PlannedValue): PlannedValue[] => (list.unknown ? [list] : list.items());

/** Whether a rule's condition attribute (direction, access, type, …) holds, when it is known. */
export type Condition = 'yes' | 'no' | 'unknown';

/**
 * Reads a condition: `unset` is the provider's default when the attribute is null or absent.
 * Strings compare case-insensitively (`Inbound`, `inbound`): a spelling the provider lets through
 * must not let a rule past the check.
 */
export function condition(value: PlannedValue, holds: readonly (string | boolean)[], unset: Condition): Condition {
  if (value.unknown) return 'unknown';
  const v = value.value;
  if (v === undefined || v === null) return unset;
  const wanted = holds.map((h) => (typeof h === 'string' ? h.toLowerCase() : h));
  return wanted.includes(typeof v === 'string' ? v.toLowerCase() : (v as boolean)) ? 'yes' : 'no';
}
