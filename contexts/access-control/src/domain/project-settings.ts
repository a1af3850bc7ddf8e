import type { FieldError } from '#kernel';
import { Invalid } from '#kernel';

/** How a project ships: its environments, which of them are production, and what evidence it trusts. */
export interface ProjectSettings {
  /** In promotion order, e.g. `["dev", "staging", "production"]`. */
  readonly environments: readonly string[];
  readonly productionEnvironments: readonly string[];
  readonly trustedKeys: readonly { readonly keyId: string; readonly algorithm: 'ed25519' | 'ecdsa-p256'; readonly publicKey: string }[];
  readonly allowedBuilders: readonly { readonly id: string; readonly slsaLevel: number }[];
  readonly expectedSource: { readonly repository: string; readonly ref: string } | null;
  readonly sbomMaxAgeDays: number | null;
  readonly maxVulnerabilitySeverity: Severity | null;
  readonly approvalPolicies: readonly ApprovalPolicy[];
  /** Keyless signers (Sigstore certificate identities) whose bundles count as signatures. */
  readonly allowedIdentities: readonly AllowedIdentity[];
  /** Labels every build must carry (build gate), e.g. `org.opencontainers.image.source`. */
  readonly requiredLabels: readonly string[];
  /** Estimated monthly cost above which an infrastructure change needs an approval; null: none needs one for its cost. */
  readonly infrastructureCostThreshold: number | null;
  /** Per environment, whether its gate blocks (`enforce`, the default) or only records what it would deny (`audit`). */
  readonly gateModes: readonly { readonly environment: string; readonly mode: GateMode }[];
}

export interface AllowedIdentity {
  /** OIDC issuer of the signing certificate, e.g. `https://token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /** The certificate's subject (SAN): an e-mail or a URI such as a workflow ref; exact match. */
  readonly subject: string;
}

export const GATE_MODES = ['enforce', 'audit'] as const;
export type GateMode = (typeof GATE_MODES)[number];

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ApprovalRule {
  readonly role: string;
  readonly count: number;
}

export interface ApprovalPolicy {
  readonly action: string;
  readonly environment?: string;
  readonly rules: readonly ApprovalRule[];
  readonly waitSeconds?: number;
  readonly expiresInSeconds?: number;
  readonly emergency?: { readonly rules: readonly ApprovalRule[]; readonly reviewWithinSeconds: number };
}

/** What a project has until someone configures it. */
export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = {
  environments: ['dev', 'staging', 'production'],
  productionEnvironments: ['production'],
  trustedKeys: [],
  allowedBuilders: [],
  expectedSource: null,
  sbomMaxAgeDays: null,
  maxVulnerabilitySeverity: null,
  approvalPolicies: [],
  allowedIdentities: [],
  requiredLabels: [],
  infrastructureCostThreshold: null,
  gateModes: [],
};

/** Rules that span fields (single fields are checked at the HTTP edge). */
export function checkProjectSettings(settings: ProjectSettings): void {
  const errors: FieldError[] = [];
  const environments = new Set(settings.environments);
  if (environments.size !== settings.environments.length)
    errors.push({ pointer: '/environments', message: 'must not repeat an environment' });
  settings.productionEnvironments.forEach((env, i) => {
    if (!environments.has(env)) errors.push({ pointer: `/productionEnvironments/${i}`, message: `"${env}" is not one of environments` });
  });
  const keyIds = new Set<string>();
  settings.trustedKeys.forEach((key, i) => {
    if (keyIds.has(key.keyId)) errors.push({ pointer: `/trustedKeys/${i}/keyId`, message: `keyId "${key.keyId}" is listed twice` });
    keyIds.add(key.keyId);
  });
  settings.approvalPolicies.forEach((policy, i) => {
    if (policy.environment !== undefined && !environments.has(policy.environment)) {
      errors.push({ pointer: `/approvalPolicies/${i}/environment`, message: `"${policy.environment}" is not one of environments` });
    }
  });
  const modes = new Set<string>();
  settings.gateModes.forEach((gate, i) => {
    if (!environments.has(gate.environment)) {
      errors.push({ pointer: `/gateModes/${i}/environment`, message: `"${gate.environment}" is not one of environments` });
    }
    if (modes.has(gate.environment))
      errors.push({ pointer: `/gateModes/${i}/environment`, message: `"${gate.environment}" is listed twice` });
    modes.add(gate.environment);
  });
  if (errors.length > 0) throw new Invalid('the project settings are inconsistent', errors);
}
