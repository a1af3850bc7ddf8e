import { appendPointer } from '#kernel';
import { FieldErrors, optionalString, optionalStringList, requiredArray, requiredString, type JsonObject } from '../json-fields.js';
import { parseResourceDescriptors, type ResourceDescriptor } from '../in-toto/resource-descriptor.js';

export const TEST_RESULT_V0_1 = 'https://in-toto.io/attestation/test-result/v0.1';

export const TEST_RESULTS = ['PASSED', 'WARNED', 'FAILED'] as const;
export type TestResultOutcome = (typeof TEST_RESULTS)[number];

/** One test-suite run (in-toto Test Result predicate v0.1). */
export interface TestResult {
  readonly result: TestResultOutcome;
  readonly configuration: readonly ResourceDescriptor[];
  readonly url: string | undefined;
  readonly passedTests: readonly string[];
  readonly warnedTests: readonly string[];
  readonly failedTests: readonly string[];
}

/** Reads a Test Result predicate; `result` and `configuration` are required. Throws kernel `Invalid`. */
export function parseTestResult(predicate: JsonObject, base = '/predicate'): TestResult {
  const errors = new FieldErrors();
  const result = requiredString(predicate, 'result', base, errors);
  if (result !== undefined && !(TEST_RESULTS as readonly string[]).includes(result)) {
    errors.add(appendPointer(base, 'result'), 'must be PASSED, WARNED or FAILED');
  }
  const configuration = parseResourceDescriptors(
    requiredArray(predicate, 'configuration', base, errors),
    appendPointer(base, 'configuration'),
    errors,
  );
  const testResult = {
    result: result as TestResultOutcome,
    configuration,
    url: optionalString(predicate, 'url', base, errors, { uri: true }),
    passedTests: optionalStringList(predicate, 'passedTests', base, errors),
    warnedTests: optionalStringList(predicate, 'warnedTests', base, errors),
    failedTests: optionalStringList(predicate, 'failedTests', base, errors),
  };
  errors.throwIfAny('the test result');
  return testResult;
}
