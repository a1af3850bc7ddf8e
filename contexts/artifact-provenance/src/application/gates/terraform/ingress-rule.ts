import { condition, type Condition, type PlannedValue } from './planned-value.js';

/**
 * One rule of a planned resource that may let traffic in, as a provider's reader found it. Rules
 * whose conditions are known not to admit traffic (egress, deny) are not returned at all.
 */
export interface IngressRule {
  /** The rule's sources (CIDRs, service tags), one value each; a list known only after apply is one value. */
  readonly sources: readonly PlannedValue[];
  /** What the rule opens, e.g. `tcp/22`, `tcp/80-443`, `all`; undefined when not known at plan time. */
  readonly ports?: string;
  /** Path of a condition (direction, access, …) known only after apply: the rule may or may not admit traffic. */
  readonly pendingCondition?: string;
}

/** Reads the ingress rules of one resource type from `change.after`. */
export type IngressReader = (after: PlannedValue) => IngressRule[];

/** Inline rule blocks, each read by `read`; a list or element known only after apply is one unknown source. */
export function eachBlock(blocks: PlannedValue, read: (block: PlannedValue) => IngressRule | undefined): IngressRule[] {
  if (blocks.unknown) return [{ sources: [blocks] }];
  return blocks.items().flatMap((block) => {
    if (block.unknown) return [{ sources: [block] }];
    const rule = read(block);
    return rule === undefined ? [] : [rule];
  });
}

/** A rule condition and where it sits, so an unknown one can be named. */
export type RuleCondition = readonly [path: string, state: Condition];

export const conditionAt = (value: PlannedValue, holds: readonly (string | boolean)[], unset: Condition): RuleCondition => [
  value.path,
  condition(value, holds, unset),
];

/** Some condition is known to be false: the rule admits nothing. */
export const anyRefused = (conditions: readonly RuleCondition[]): boolean => conditions.some(([, state]) => state === 'no');

/** The first condition known only after apply, if any. */
export const firstPending = (conditions: readonly RuleCondition[]): string | undefined =>
  conditions.find(([, state]) => state === 'unknown')?.[0];

/**
 * A CIDR of prefix length 0 is every address, however its address part is spelt (`0.0.0.0/0`,
 * `::/0`, `::0/0`, even `10.0.0.0/0`); the check is on the prefix, not on one spelling. Narrower
 * ranges that together cover the internet (`0.0.0.0/1` and `128.0.0.0/1`) are not detected.
 */
const WHOLE_RANGE = /^[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*\/0+$/;

/** Azure's words for any source: `*`, the `Internet` service tag, and `Any`; in any case, so no spelling slips through. */
const AZURE_ANY_SOURCE = new Set(['*', 'internet', 'any']);

export const isWholeRange = (source: string): boolean => WHOLE_RANGE.test(source.trim());

export const isAzureAnySource = (source: string): boolean => isWholeRange(source) || AZURE_ANY_SOURCE.has(source.trim().toLowerCase());

const ANY_PROTOCOL = new Set(['-1', 'all', '*']);
/** IANA numbers the providers accept in place of names (network ACLs often use them). */
const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6' };
/** ICMP "ports" are message types and codes, not ports: the protocol alone says what is open. */
const ICMP = new Set(['icmp', 'icmpv6']);

/** Lower-cased protocol name, `all` for the providers' any-protocol spellings; undefined when not known. */
export function protocolName(protocol: PlannedValue): string | undefined {
  const number = protocol.number();
  const value = protocol.string() ?? (number !== undefined ? String(number) : undefined);
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  if (ANY_PROTOCOL.has(lower)) return 'all';
  return Object.prototype.hasOwnProperty.call(PROTOCOL_NUMBERS, lower) ? PROTOCOL_NUMBERS[lower] : lower;
}

/** `tcp/22`, `tcp/1024-65535`, `icmp`, `all`: protocol and a from–to port range (AWS style); undefined when not known. */
export function portRange(protocol: PlannedValue, from: PlannedValue, to: PlannedValue): string | undefined {
  const name = protocolName(protocol);
  if (name === undefined || name === 'all' || ICMP.has(name)) return name;
  const low = from.number();
  const high = to.number();
  if (low === undefined || high === undefined) return undefined;
  return low === high ? `${name}/${low}` : `${name}/${low}-${high}`;
}

/** `tcp/22,443`, `tcp/all`, `all`: protocol and a list of port ranges (Google and Azure style; `*` is every port). */
export function portList(protocol: string | undefined, ports: readonly string[]): string | undefined {
  if (protocol === undefined) return undefined;
  const named = ports.map((p) => p.trim()).filter((p) => p.length > 0);
  const every = named.length === 0 || named.includes('*');
  if (protocol === 'all' && every) return 'all';
  if (ICMP.has(protocol)) return protocol;
  return `${protocol}/${every ? 'all' : named.join(',')}`;
}
