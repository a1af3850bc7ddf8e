import { appendPointer } from '#kernel';
import {
  FieldErrors,
  isJsonObject,
  member,
  optionalArray,
  optionalString,
  requiredInstant,
  requiredObject,
  requiredString,
  type JsonObject,
} from '../json-fields.js';
import { parseResourceDescriptor, parseResourceDescriptors, type ResourceDescriptor } from '../in-toto/resource-descriptor.js';

export const VERIFICATION_SUMMARY_V1 = 'https://slsa.dev/verification_summary/v1';

/** A SLSA Verification Summary Attestation: some verifier's decision about the subject. */
export interface VerificationSummary {
  readonly verifierId: string;
  /** UTC, `toISOString` form. */
  readonly timeVerified: string;
  readonly resourceUri: string;
  readonly policy: ResourceDescriptor;
  readonly inputAttestations: readonly ResourceDescriptor[];
  readonly verificationResult: 'PASSED' | 'FAILED';
  /** e.g. `SLSA_BUILD_LEVEL_3`; "FAILED" when the policy failed. */
  readonly verifiedLevels: readonly string[];
  /** Undefined: no claim about dependencies; `{}`: the artifact has none. */
  readonly dependencyLevels: Readonly<Record<string, number>> | undefined;
  readonly slsaVersion: string | undefined;
}

/** Reads a VSA v1 predicate; every field the spec marks required must be there. Throws kernel `Invalid`. */
export function parseVerificationSummary(predicate: JsonObject, base = '/predicate'): VerificationSummary {
  const errors = new FieldErrors();
  const verifier = requiredObject(predicate, 'verifier', base, errors);
  const verifierId = verifier && requiredString(verifier, 'id', appendPointer(base, 'verifier'), errors, { uri: true, identifier: true });
  const timeVerified = requiredInstant(predicate, 'timeVerified', base, errors);
  const resourceUri = requiredString(predicate, 'resourceUri', base, errors, { uri: true, identifier: true });
  const policyAt = appendPointer(base, 'policy');
  const policyValue = requiredObject(predicate, 'policy', base, errors);
  const policy = policyValue && parseResourceDescriptor(policyValue, policyAt, errors);
  if (policyValue !== undefined && member(policyValue, 'uri') === undefined) errors.add(appendPointer(policyAt, 'uri'), 'is required');
  const inputAttestations = parseResourceDescriptors(
    optionalArray(predicate, 'inputAttestations', base, errors),
    appendPointer(base, 'inputAttestations'),
    errors,
  );
  const verificationResult = requiredString(predicate, 'verificationResult', base, errors);
  if (verificationResult !== undefined && verificationResult !== 'PASSED' && verificationResult !== 'FAILED') {
    errors.add(appendPointer(base, 'verificationResult'), 'must be PASSED or FAILED');
  }
  const levels = optionalArray(predicate, 'verifiedLevels', base, errors);
  if (levels === undefined && member(predicate, 'verifiedLevels') === undefined)
    errors.add(appendPointer(base, 'verifiedLevels'), 'is required');
  const verifiedLevels: string[] = [];
  (levels ?? []).forEach((level, i) => {
    if (typeof level === 'string' && level.length > 0) verifiedLevels.push(level);
    else errors.add(appendPointer(appendPointer(base, 'verifiedLevels'), i), 'must be a SLSA level name such as SLSA_BUILD_LEVEL_3');
  });
  const dependencyLevels = readCounts(predicate, base, errors);
  const slsaVersion = optionalString(predicate, 'slsaVersion', base, errors);
  errors.throwIfAny('the verification summary');
  return {
    verifierId: verifierId!,
    timeVerified: timeVerified!,
    resourceUri: resourceUri!,
    policy: policy!,
    inputAttestations,
    verificationResult: verificationResult as 'PASSED' | 'FAILED',
    verifiedLevels,
    dependencyLevels,
    slsaVersion,
  };
}

function readCounts(predicate: JsonObject, base: string, errors: FieldErrors): Record<string, number> | undefined {
  const value = member(predicate, 'dependencyLevels');
  if (value === undefined) return undefined;
  const at = appendPointer(base, 'dependencyLevels');
  if (!isJsonObject(value)) return void errors.add(at, 'must be an object of level → count');
  const out: Record<string, number> = {};
  for (const [level, count] of Object.entries(value)) {
    if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) out[level] = count;
    else errors.add(appendPointer(at, level), 'must be a whole number ≥ 0');
  }
  return out;
}
