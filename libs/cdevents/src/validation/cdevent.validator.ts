import { Invalid, type FieldError } from '#kernel';
import type { CdEvent, CdEventOf } from '../events/cdevent.types.js';
import { CATALOG, supportedVersionsOf, type CatalogEntry, type CdEventType } from '../events/event-catalog.js';
import { basicEventSpec, CUSTOM_TYPE_PATTERN, customEventSpec, eventTypeSpec, type SpecRules } from '../events/envelope.schema.js';
import { isJsonObject, jsonTypeOf } from './json-pointer.js';
import { compileSpec, type Check } from './spec.compiler.js';
import { normalizeV04 } from './v04.normalizer.js';

export interface ValidateOptions {
  /**
   * Accept event types (or versions) this library does not know, checking only the basic
   * context (`id`, `source`, `type`, `timestamp`); such events come back `validated: false`.
   */
  readonly acceptUnknown?: boolean;
}

export interface ValidCdEvent {
  readonly ok: true;
  /** The input, untouched. */
  readonly raw: Record<string, unknown>;
  /**
   * The event in the CDEvents 0.5.1 model. For 0.5.x input (and unvalidated unknown types) this
   * is the very `raw` object, not a copy: treat both as read-only.
   */
  readonly normalized: CdEvent;
  /** `context.type` of `normalized` (the 0.5.1 type string for 0.4.x input). */
  readonly type: string;
  /** `context.type` as sent. */
  readonly rawType: string;
  /** `context.specversion` (or 0.4's `context.version`) as sent; '' when absent. */
  readonly specVersion: string;
  /** Rule set the event was validated against; null when accepted unvalidated. */
  readonly rules: SpecRules | null;
  readonly custom: boolean;
  readonly validated: boolean;
  /** Lossy steps of normalisation worth recording (e.g. an outcome mapped or dropped). */
  readonly notes: readonly string[];
}

export interface InvalidCdEvent {
  readonly ok: false;
  readonly errors: FieldError[];
}

export type CdEventValidation = ValidCdEvent | InvalidCdEvent;

interface TypeValidator {
  readonly entry: CatalogEntry | undefined;
  readonly rules: SpecRules;
  readonly check: Check;
}

// All validators are compiled once at load: ~90 closures, well under a millisecond.
const BY_TYPE = new Map<string, TypeValidator>();
for (const entry of CATALOG) {
  BY_TYPE.set(entry.type, { entry, rules: '0.5.1', check: compileSpec(eventTypeSpec(entry.type, entry.def, '0.5.1', entry.def.content)) });
  BY_TYPE.set(entry.v04Type, {
    entry,
    rules: '0.4.x',
    check: compileSpec(eventTypeSpec(entry.v04Type, entry.def, '0.4.x', entry.v04Content)),
  });
}
const CUSTOM: Readonly<Record<SpecRules, TypeValidator>> = {
  '0.5.1': { entry: undefined, rules: '0.5.1', check: compileSpec(customEventSpec('0.5.1')) },
  '0.4.x': { entry: undefined, rules: '0.4.x', check: compileSpec(customEventSpec('0.4.x')) },
};
const checkBasic = compileSpec(basicEventSpec);

const TYPE_SHAPE = /^dev\.cdevents\.([a-zA-Z]+)\.([a-zA-Z]+)\.(.+)$/;

/** Why a type string is not supported, naming the versions that are. */
export function unsupportedTypeMessage(type: string): string {
  const m = TYPE_SHAPE.exec(type);
  if (m !== null) {
    const versions = supportedVersionsOf(`${m[1]}.${m[2]}`);
    if (versions !== undefined) {
      return `${type} is not supported; supported: ${versions.map((v) => `${v.version} (${v.spec})`).join(', ')}`;
    }
    return `${type} is not supported: unknown event type ${m[1]}.${m[2]} (CDEvents 0.5.1 and 0.4.x types are supported)`;
  }
  if (type.startsWith('dev.cdeventsx.')) {
    return `${type} is not a valid custom event type: must match dev.cdeventsx.<tool>-<subject>.<predicate>.<major>.<minor>.<patch>`;
  }
  return `${type} is not a CDEvents type: expected dev.cdevents.<subject>.<predicate>.<version> or dev.cdeventsx.<tool>-<subject>.<predicate>.<version>`;
}

function validatorFor(type: string, context: Record<string, unknown>): TypeValidator | undefined {
  const known = BY_TYPE.get(type);
  if (known !== undefined || !CUSTOM_TYPE_PATTERN.test(type)) return known;
  // Custom types carry no version of their own; the context's key tells the spec line apart.
  return context['specversion'] === undefined && context['version'] !== undefined ? CUSTOM['0.4.x'] : CUSTOM['0.5.1'];
}

function declaredSpecVersion(context: Record<string, unknown>): string {
  const v = context['specversion'] ?? context['version'];
  return typeof v === 'string' ? v : '';
}

/**
 * Validates a parsed CDEvent (0.5.x or 0.4.x, standard or custom), reporting every violation as a
 * JSON Pointer into the event, and normalises valid 0.4.x events to the 0.5.1 model.
 */
export function validateCdEvent(input: unknown, options: ValidateOptions = {}): CdEventValidation {
  if (!isJsonObject(input)) {
    return { ok: false, errors: [{ pointer: '', message: `must be a JSON object (got ${jsonTypeOf(input)})` }] };
  }
  const context = input['context'];
  const type = isJsonObject(context) ? context['type'] : undefined;
  const validator = typeof type === 'string' && isJsonObject(context) ? validatorFor(type, context) : undefined;

  if (validator !== undefined && isJsonObject(context) && typeof type === 'string') {
    const errors: FieldError[] = [];
    validator.check(input, '', errors);
    if (errors.length > 0) return { ok: false, errors };
    const notes: string[] = [];
    const normalized = validator.rules === '0.4.x' ? normalizeV04(input, validator.entry, notes) : (input as unknown as CdEvent);
    return {
      ok: true,
      raw: input,
      normalized,
      type: normalized.context.type,
      rawType: type,
      specVersion: declaredSpecVersion(context),
      rules: validator.rules,
      custom: validator.entry === undefined,
      validated: true,
      notes,
    };
  }

  // Unknown or missing type: check what can be checked, then refuse or accept unvalidated.
  const errors: FieldError[] = [];
  checkBasic(input, '', errors);
  const typeIsUsable = typeof type === 'string' && type.length > 0;
  if (typeIsUsable && errors.length === 0 && options.acceptUnknown === true && type.startsWith('dev.cdevents')) {
    return {
      ok: true,
      raw: input,
      normalized: input as unknown as CdEvent,
      type,
      rawType: type,
      specVersion: declaredSpecVersion(context as Record<string, unknown>),
      rules: null,
      custom: type.startsWith('dev.cdeventsx.'),
      validated: false,
      notes: [],
    };
  }
  if (typeIsUsable) errors.push({ pointer: '/context/type', message: unsupportedTypeMessage(type) });
  return { ok: false, errors };
}

/** Like {@link validateCdEvent} but throws the kernel's `Invalid` (with every field error). */
export function parseCdEvent(input: unknown, options: ValidateOptions = {}): ValidCdEvent {
  const result = validateCdEvent(input, options);
  if (!result.ok) throw new Invalid('invalid CDEvent', result.errors);
  return result;
}

/** Narrows a normalised event to one typed model by its `context.type`. */
export function isCdEventOfType<T extends CdEventType>(event: CdEvent, type: T): event is CdEventOf<T> {
  return event.context.type === type;
}
