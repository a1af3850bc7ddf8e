import type { AccessControlSettings } from '../../access-control.settings.js';
import { isRole } from '../../domain/roles.js';
import { CedarPolicyEngine } from './cedar-policy-engine.js';
import { OpaPolicyEngine } from './opa-policy-engine.js';
import type { PolicyEngine } from './policy-engine.js';
import { cedarPolicySources } from './policy-sources.js';

/** The configured engine; refuses to start on unknown roles in the configuration or a bad policy file. */
export function createPolicyEngine(config: AccessControlSettings): PolicyEngine {
  const unknown = [
    ...config.sodConflictingRoles.flat().map((role) => ({ role, setting: 'SOD_CONFLICTING_ROLES' })),
    ...(config.oidc?.groupRoles ?? []).map((m) => ({ role: m.role, setting: 'OIDC_GROUP_ROLES' })),
  ].filter((r) => !isRole(r.role));
  if (unknown.length > 0) throw new Error(unknown.map((r) => `${r.setting} names unknown role "${r.role}"`).join('; '));
  if (config.policyEngine === 'opa') return new OpaPolicyEngine(config.opaUrl!, config.opaDecisionPath, config.opaTimeoutMs);
  return CedarPolicyEngine.fromSources(cedarPolicySources(config));
}
