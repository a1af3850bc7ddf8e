import { cappedList } from '../capped-list.js';
import type { GateCheck } from '../gate-check.js';

export const REQUIRED_LABELS = 'required-labels';

export interface LabelsCheck extends GateCheck {
  /** The required labels that are absent or empty, in the order required. */
  readonly missing: readonly string[];
}

/** Only the labels' own keys: `constructor` must not be found on Object.prototype. */
const valueOf = (labels: Readonly<Record<string, string>>, name: string): unknown =>
  Object.prototype.hasOwnProperty.call(labels, name) ? labels[name] : undefined;

/**
 * The required labels (e.g. OCI image annotations) that are absent or empty. Blank counts as
 * empty: `"  "` names no source repository either. Names compare exactly, as OCI keys do.
 */
export function missingLabels(labels: Readonly<Record<string, string>>, required: readonly string[]): LabelsCheck {
  const wanted = [...new Set(required)];
  const missing = wanted.filter((name) => {
    const value = valueOf(labels, name);
    return typeof value !== 'string' || value.trim() === '';
  });
  const name = REQUIRED_LABELS;
  if (missing.length > 0) return { name, passed: false, missing, reason: `missing labels: ${cappedList(missing)}` };
  const reason = wanted.length === 0 ? 'no labels are required' : `all ${wanted.length} required labels are set: ${cappedList(wanted)}`;
  return { name, passed: true, missing, reason };
}
