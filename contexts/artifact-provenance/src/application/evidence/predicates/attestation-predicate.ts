import { appendPointer } from '#kernel';
import type { JsonObject } from '../json-fields.js';
import type { InTotoStatement } from '../in-toto/in-toto-statement.js';
import { parseSlsaProvenance, SLSA_PROVENANCE_V1, type SlsaProvenance } from './slsa-provenance.js';
import { parseTestResult, TEST_RESULT_V0_1, type TestResult } from './test-result.js';
import { parseVerificationSummary, VERIFICATION_SUMMARY_V1, type VerificationSummary } from './verification-summary.js';

/** What a statement's predicate says, by predicateType; a type this ledger does not read is kept as given. */
export type AttestationPredicate =
  | { readonly kind: 'slsa-provenance'; readonly predicateType: typeof SLSA_PROVENANCE_V1; readonly provenance: SlsaProvenance }
  | { readonly kind: 'test-result'; readonly predicateType: typeof TEST_RESULT_V0_1; readonly testResult: TestResult }
  | { readonly kind: 'verification-summary'; readonly predicateType: typeof VERIFICATION_SUMMARY_V1; readonly summary: VerificationSummary }
  | { readonly kind: 'other'; readonly predicateType: string; readonly predicate: JsonObject };

/** The predicate types read into facts; any other is listed as `other`. */
export const KNOWN_PREDICATE_TYPES: readonly string[] = [SLSA_PROVENANCE_V1, TEST_RESULT_V0_1, VERIFICATION_SUMMARY_V1];

/**
 * Reads the predicate of a parsed statement. Throws kernel `Invalid` when a known predicate is
 * malformed; pointers are under `base` (the statement's own pointer).
 */
export function readAttestationPredicate(statement: InTotoStatement, base = ''): AttestationPredicate {
  const at = appendPointer(base, 'predicate');
  switch (statement.predicateType) {
    case SLSA_PROVENANCE_V1:
      return { kind: 'slsa-provenance', predicateType: SLSA_PROVENANCE_V1, provenance: parseSlsaProvenance(statement.predicate, at) };
    case TEST_RESULT_V0_1:
      return { kind: 'test-result', predicateType: TEST_RESULT_V0_1, testResult: parseTestResult(statement.predicate, at) };
    case VERIFICATION_SUMMARY_V1:
      return {
        kind: 'verification-summary',
        predicateType: VERIFICATION_SUMMARY_V1,
        summary: parseVerificationSummary(statement.predicate, at),
      };
    default:
      return { kind: 'other', predicateType: statement.predicateType, predicate: statement.predicate };
  }
}
