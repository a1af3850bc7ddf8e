import { AWS_INGRESS_READERS } from './aws-ingress.js';
import { AZURE_INGRESS_READERS } from './azure-ingress.js';
import { GOOGLE_INGRESS_READERS } from './google-ingress.js';
import { isAzureAnySource, isWholeRange, type IngressReader } from './ingress-rule.js';
import { PlannedValue } from './planned-value.js';
import type { ResourceChange, TerraformPlan } from './terraform-plan.js';

/** A planned rule that lets traffic in from anywhere. */
export interface OpenIngressFinding {
  readonly address: string;
  readonly resourceType: string;
  /** Where the open source sits in the resource's planned values, e.g. `ingress[0].cidr_blocks[1]`. */
  readonly rule: string;
  /** The source as the plan spells it: `0.0.0.0/0`, `::/0`, or for Azure also `*`, `Internet`, `Any`. */
  readonly cidr: string;
  /** What the rule opens, e.g. `tcp/22`, `all`; absent when not known at plan time. */
  readonly ports?: string;
}

/** A rule that cannot be judged from the plan: a source, or a condition of an open source, is known only after apply. */
export interface UnresolvedIngress {
  readonly address: string;
  readonly resourceType: string;
  /** The attribute known only after apply, e.g. `ingress[0].cidr_blocks` or `direction`. */
  readonly attribute: string;
}

export interface IngressAnalysis {
  readonly findings: readonly OpenIngressFinding[];
  readonly unresolved: readonly UnresolvedIngress[];
  /** Resources of the covered types being created or updated, and the ingress rules read in them. */
  readonly resourcesChecked: number;
  readonly rulesChecked: number;
}

interface Provider {
  readonly readers: Readonly<Record<string, IngressReader>>;
  readonly isOpen: (source: string) => boolean;
}

const PROVIDERS: readonly Provider[] = [
  { readers: AWS_INGRESS_READERS, isOpen: isWholeRange },
  { readers: GOOGLE_INGRESS_READERS, isOpen: isWholeRange },
  { readers: AZURE_INGRESS_READERS, isOpen: isAzureAnySource },
];

function providerOf(type: string): { read: IngressReader; isOpen: (source: string) => boolean } | undefined {
  for (const p of PROVIDERS) {
    if (Object.prototype.hasOwnProperty.call(p.readers, type)) return { read: p.readers[type]!, isOpen: p.isOpen };
  }
  return undefined;
}

/** Replacements (`["delete","create"]`, `["create","delete"]`) create too; deletions, reads and no-ops change no rule. */
const changesRules = (change: ResourceChange): boolean => change.change.actions.some((a) => a === 'create' || a === 'update');

/**
 * The ingress rules of every covered resource being created or updated, judged on `change.after`.
 * A source known only after apply (a CIDR taken from a resource not yet created) is neither open
 * nor closed: it goes to `unresolved`, as does an open source whose rule's direction or verdict is
 * not known yet, so the caller decides what an unverified rule means instead of this guessing.
 */
export function analyseIngress(plan: TerraformPlan): IngressAnalysis {
  const findings: OpenIngressFinding[] = [];
  const unresolved: UnresolvedIngress[] = [];
  let resourcesChecked = 0;
  let rulesChecked = 0;
  for (const resource of plan.resourceChanges) {
    const provider = providerOf(resource.type);
    if (provider === undefined || !changesRules(resource)) continue;
    resourcesChecked++;
    const { address, type: resourceType } = resource;
    const seen = new Set<string>();
    const unresolvedAt = (attribute: string) => {
      if (seen.has(attribute)) return;
      seen.add(attribute);
      unresolved.push({ address, resourceType, attribute });
    };
    for (const rule of provider.read(PlannedValue.root(resource.change.after, resource.change.afterUnknown))) {
      rulesChecked++;
      for (const source of rule.sources) {
        if (source.unknown) {
          unresolvedAt(source.path);
          continue;
        }
        const cidr = source.string()?.trim();
        if (cidr === undefined || !provider.isOpen(cidr)) continue;
        if (rule.pendingCondition !== undefined) unresolvedAt(rule.pendingCondition);
        else findings.push({ address, resourceType, rule: source.path, cidr, ...(rule.ports !== undefined ? { ports: rule.ports } : {}) });
      }
    }
  }
  return { findings, unresolved, resourcesChecked, rulesChecked };
}

/** The rules of resources being created or updated that admit traffic from the whole internet. */
export const findOpenIngress = (plan: TerraformPlan): readonly OpenIngressFinding[] => analyseIngress(plan).findings;
