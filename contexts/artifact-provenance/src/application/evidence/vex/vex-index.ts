import { normalizePurl } from '../sbom/package-url.js';
import type { VexStatement, VexStatus } from './vex-statement.js';

export interface VexIndex {
  /** The status the latest applicable statement gives vulnerability `vulnerability` in component `component` (a purl), if any. */
  statusOf(vulnerability: string, component: string): VexStatus | undefined;
  /** Whether VEX marks `vulnerability` in `component` not affected: the gate's "unless VEX says not affected". */
  isNotAffected(vulnerability: string, component: string): boolean;
}

/** Purls compare in their normal form; other identifiers as written. */
const key = (id: string): string => normalizePurl(id) ?? id;
/** Vulnerability ids compare case-insensitively: CVE-2021-44228 and cve-2021-44228 are one. */
const vulnKey = (id: string): string => id.toUpperCase();

/**
 * Indexes VEX statements from any number of documents. A statement is about a component when
 * the component is one of its products or subcomponents, and about a vulnerability by name or
 * alias. When several speak about the same pair, the latest by timestamp wins (OpenVEX: newer
 * statements supersede older), a later statement winning a tie; one without a timestamp counts
 * as oldest. Matching is exact (after purl normalisation): a statement about `pkg:npm/a@1` says
 * nothing about `pkg:npm/a@2`, because a false match would let a vulnerable component through.
 */
export function buildVexIndex(statements: readonly VexStatement[]): VexIndex {
  const latest = new Map<string, { status: VexStatus; timestamp: string; order: number }>();
  statements.forEach((s, order) => {
    const timestamp = s.timestamp ?? '';
    for (const vulnerability of new Set([s.vulnerability, ...s.aliases].map(vulnKey))) {
      for (const component of new Set([...s.products, ...s.subcomponents].map(key))) {
        const k = `${vulnerability}\u0000${component}`;
        const seen = latest.get(k);
        if (seen === undefined || timestamp > seen.timestamp || (timestamp === seen.timestamp && order > seen.order)) {
          latest.set(k, { status: s.status, timestamp, order });
        }
      }
    }
  });
  const statusOf = (vulnerability: string, component: string) => latest.get(`${vulnKey(vulnerability)}\u0000${key(component)}`)?.status;
  return { statusOf, isNotAffected: (vulnerability, component) => statusOf(vulnerability, component) === 'not_affected' };
}
