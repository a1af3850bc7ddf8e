import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicySource } from './cedar-policy-engine.js';

const BUILT_IN = join('contexts', 'access-control', 'policies');

/** The folder holding access.cedar and access.rego, from source or from dist/. */
export function builtInPolicyDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, BUILT_IN, 'access.cedar'))) return join(dir, BUILT_IN);
    if (dirname(dir) === dir) throw new Error(`cannot find ${BUILT_IN}/access.cedar above ${from}`);
  }
}

/**
 * Every Cedar policy the decision point uses: the built-in set, one generated forbid per
 * configured pair of conflicting roles, and each `*.cedar` file of the organisation's POLICY_DIR.
 */
export function cedarPolicySources(options: {
  sodConflictingRoles: readonly (readonly [string, string])[];
  policyDir: string | null;
}): PolicySource[] {
  const builtIn = builtInPolicyDir();
  const sources: PolicySource[] = [{ name: 'access.cedar', text: readFileSync(join(builtIn, 'access.cedar'), 'utf8') }];
  if (options.sodConflictingRoles.length > 0)
    sources.push({ name: 'SOD_CONFLICTING_ROLES', text: staticSodPolicies(options.sodConflictingRoles) });
  if (options.policyDir) {
    if (!existsSync(options.policyDir)) throw new Error(`POLICY_DIR ${options.policyDir} does not exist`);
    for (const file of readdirSync(options.policyDir)
      .filter((f) => f.endsWith('.cedar'))
      .sort()) {
      sources.push({ name: file, text: readFileSync(join(options.policyDir, file), 'utf8') });
    }
  }
  return sources;
}

/** Static segregation of duties: refuse a grant that would give one principal both roles of a pair in a project. */
export function staticSodPolicies(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(
      ([a, b]) => `@id("sod.static:${a}+${b}")
@reason("one principal may not hold ${a} and ${b} in the same project")
forbid (principal, action == Action::"role.grant", resource)
when {
  resource has role && resource has granteeRoles &&
  ((resource.role == "${a}" && resource.granteeRoles.contains("${b}")) ||
   (resource.role == "${b}" && resource.granteeRoles.contains("${a}")))
};`,
    )
    .join('\n\n');
}
