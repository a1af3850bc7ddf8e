import { anyRefused, conditionAt, firstPending, portList, protocolName, type IngressReader } from './ingress-rule.js';
import { elementsOf, type PlannedValue } from './planned-value.js';

/** `tcp/22,443; udp/all` for the `allow` blocks; undefined when any of them is not known yet. */
function allowedPorts(allow: PlannedValue): string | undefined {
  const parts: string[] = [];
  for (const block of allow.items()) {
    const ports = block.get('ports');
    if (ports.unknown || ports.items().some((p) => p.unknown)) return undefined;
    const part = portList(
      protocolName(block.get('protocol')),
      ports.items().flatMap((p) => (p.string() === undefined ? [] : [p.string()!])),
    );
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return parts.join('; ');
}

/**
 * `google_compute_firewall` (hashicorp/google): ingress when `direction` is INGRESS or unset (the
 * API's default), not `disabled`, and opening only through `allow` blocks: a rule of `deny` blocks
 * closes ports, whatever its sources. Sources other than `source_ranges` (tags, service accounts)
 * name instances inside the network, never the internet.
 */
const firewall: IngressReader = (after) => {
  const allow = after.get('allow');
  const conditions = [
    conditionAt(after.get('direction'), ['INGRESS'], 'yes'),
    conditionAt(after.get('disabled'), [false], 'yes'),
    [allow.path, allow.unknown ? 'unknown' : allow.items().length > 0 ? 'yes' : 'no'] as const,
  ];
  if (anyRefused(conditions)) return [];
  return [{ sources: elementsOf(after.get('source_ranges')), ports: allowedPorts(allow), pendingCondition: firstPending(conditions) }];
};

export const GOOGLE_INGRESS_READERS: Readonly<Record<string, IngressReader>> = {
  google_compute_firewall: firewall,
};
