import { appendPointer } from '#kernel';
import {
  FieldErrors,
  isJsonObject,
  member,
  optionalArray,
  optionalString,
  requiredArray,
  requiredObject,
  requiredString,
  type JsonObject,
} from '../../evidence/json-fields.js';

/**
 * The parts of `terraform show -json <planfile>` the gates read (HashiCorp's "JSON Output Format",
 * plan representation). Everything else, `before` included, is left out: it can be large, and no
 * gate looks at it.
 */
export interface TerraformPlan {
  readonly formatVersion: string;
  readonly terraformVersion: string | undefined;
  readonly resourceChanges: readonly ResourceChange[];
  /** Planning failed part-way: the changes are incomplete and Terraform will not apply the plan. */
  readonly errored: boolean;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** `managed` or `data` (OpenTofu adds `ephemeral`). */
  readonly mode: string;
  readonly change: PlannedChange;
}

export interface PlannedChange {
  /** e.g. ["create"], ["update"], ["delete", "create"] (replace), ["no-op"], ["read"], ["delete"]. */
  readonly actions: readonly string[];
  /** The object after the change, without the values known only after apply; undefined for a deletion. */
  readonly after: JsonObject | undefined;
  /** Same shape as `after`, `true` where a value is known only after apply (`true` alone: all of it). */
  readonly afterUnknown: JsonObject | boolean | undefined;
}

const FORMAT_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** The format promises: minor versions only add, a new major version breaks, so refuse one we do not know. */
const SUPPORTED_MAJOR_VERSIONS = new Set(['0', '1']);

/**
 * Reads a plan's JSON representation. `planned_values` is required because it is what tells a plan
 * from state (`terraform show -json` without a plan file has `values` instead): read as a plan,
 * state would show no changes, so every gate on it would pass. `resource_changes` may be absent
 * (Terraform omits it when nothing changes). Unknown members are ignored, as the format asks.
 * Throws kernel `Invalid` listing every bad field by JSON Pointer.
 */
export function parseTerraformPlan(json: unknown): TerraformPlan {
  const errors = new FieldErrors();
  if (!isJsonObject(json)) {
    errors.add('', 'must be a Terraform plan object (the output of terraform show -json <planfile>)');
    errors.throwIfAny('the Terraform plan');
  }
  const plan = json as JsonObject;
  const formatVersion = requiredString(plan, 'format_version', '', errors);
  const version = formatVersion === undefined ? undefined : FORMAT_VERSION.exec(formatVersion);
  if (formatVersion !== undefined && version === null) errors.add('/format_version', 'must be MAJOR.MINOR, e.g. "1.2"');
  else if (version && !SUPPORTED_MAJOR_VERSIONS.has(version[1]!)) {
    errors.add('/format_version', `format ${formatVersion} is not supported: only major versions 0 and 1 are known`);
  }
  const terraformVersion = optionalString(plan, 'terraform_version', '', errors);
  if (member(plan, 'planned_values') === undefined && member(plan, 'values') !== undefined) {
    errors.add('/planned_values', 'is required: this is Terraform state (it has "values"), not a plan');
  } else requiredObject(plan, 'planned_values', '', errors);
  const errored = member(plan, 'errored');
  if (errored !== undefined && typeof errored !== 'boolean') errors.add('/errored', 'must be a boolean');
  const list = optionalArray(plan, 'resource_changes', '', errors) ?? [];
  const resourceChanges: ResourceChange[] = [];
  for (let i = 0; i < list.length && !errors.full; i++) {
    const change = readResourceChange(list[i], appendPointer('/resource_changes', i), errors);
    if (change !== undefined) resourceChanges.push(change);
  }
  errors.throwIfAny('the Terraform plan');
  return { formatVersion: formatVersion!, terraformVersion, resourceChanges, errored: errored === true };
}

function readResourceChange(item: unknown, at: string, errors: FieldErrors): ResourceChange | undefined {
  if (!isJsonObject(item)) return void errors.add(at, 'must be a resource change object {address, type, name, mode, change}');
  const address = requiredString(item, 'address', at, errors, { nonEmpty: true });
  const type = requiredString(item, 'type', at, errors, { nonEmpty: true });
  const name = requiredString(item, 'name', at, errors, { nonEmpty: true });
  const mode = requiredString(item, 'mode', at, errors, { nonEmpty: true });
  const changeAt = appendPointer(at, 'change');
  const change = requiredObject(item, 'change', at, errors);
  if (change === undefined) return undefined;
  const actions = readActions(change, changeAt, errors);
  const after = member(change, 'after');
  if (after !== undefined && !isJsonObject(after)) errors.add(appendPointer(changeAt, 'after'), 'must be an object');
  const afterUnknown = member(change, 'after_unknown');
  if (afterUnknown !== undefined && !isJsonObject(afterUnknown) && typeof afterUnknown !== 'boolean') {
    errors.add(appendPointer(changeAt, 'after_unknown'), 'must be an object or a boolean');
  }
  if (address === undefined || type === undefined || name === undefined || mode === undefined || actions === undefined) return undefined;
  return {
    address,
    type,
    name,
    mode,
    change: {
      actions,
      after: isJsonObject(after) ? after : undefined,
      afterUnknown: isJsonObject(afterUnknown) || typeof afterUnknown === 'boolean' ? afterUnknown : undefined,
    },
  };
}

function readActions(change: JsonObject, at: string, errors: FieldErrors): string[] | undefined {
  const list = requiredArray(change, 'actions', at, errors);
  if (list === undefined) return undefined;
  const pointer = appendPointer(at, 'actions');
  if (list.length === 0) return void errors.add(pointer, 'must name at least one action');
  const bad = list.findIndex((a) => typeof a !== 'string' || a.length === 0);
  if (bad !== -1) return void errors.add(appendPointer(pointer, bad), 'must be an action name, e.g. "create"');
  return list as string[];
}
