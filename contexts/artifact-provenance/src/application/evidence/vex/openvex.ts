import { appendPointer } from '#kernel';
import {
  FieldErrors,
  isJsonObject,
  optionalArray,
  optionalInstant,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredArray,
  requiredInstant,
  requiredObject,
  requiredString,
  type JsonObject,
} from '../json-fields.js';
import { VEX_STATUSES, type VexStatement, type VexStatus } from './vex-statement.js';

export const OPENVEX_CONTEXT_V0_2_0 = 'https://openvex.dev/ns/v0.2.0';

export const OPENVEX_JUSTIFICATIONS: readonly string[] = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

export interface OpenVexDocument {
  readonly id: string;
  readonly author: string;
  /** UTC. */
  readonly timestamp: string;
  readonly version: number;
  readonly statements: readonly VexStatement[];
}

/**
 * Reads an OpenVEX v0.2.0 document. A `not_affected` statement must give a justification label
 * or an impact statement, as the spec requires: it is the one status a gate acts on. Statement
 * timestamps inherit the document's. Throws kernel `Invalid` with field errors.
 */
export function parseOpenVex(input: unknown): OpenVexDocument {
  const errors = new FieldErrors();
  if (!isJsonObject(input)) {
    errors.add('', 'must be an OpenVEX document object');
    errors.throwIfAny('the OpenVEX document');
  }
  const doc = input as JsonObject;
  const context = requiredString(doc, '@context', '', errors);
  if (context !== undefined && context !== OPENVEX_CONTEXT_V0_2_0) errors.add('/@context', `must be "${OPENVEX_CONTEXT_V0_2_0}"`);
  const id = requiredString(doc, '@id', '', errors, { nonEmpty: true, identifier: true });
  const author = requiredString(doc, 'author', '', errors, { nonEmpty: true });
  const timestamp = requiredInstant(doc, 'timestamp', '', errors);
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    errors.add('/version', version === undefined ? 'is required' : 'must be a whole number ≥ 1');
  }
  const statements: VexStatement[] = [];
  (requiredArray(doc, 'statements', '', errors) ?? []).forEach((item, i) => {
    const statement = readStatement(item, `/statements/${i}`, errors, timestamp);
    if (statement !== undefined) statements.push(statement);
  });
  errors.throwIfAny('the OpenVEX document');
  return { id: id!, author: author!, timestamp: timestamp!, version: version as number, statements };
}

function readStatement(value: unknown, at: string, errors: FieldErrors, documentTime: string | undefined): VexStatement | undefined {
  if (!isJsonObject(value)) return void errors.add(at, 'must be a statement object {vulnerability, products, status}');
  const vulnerability = requiredObject(value, 'vulnerability', at, errors);
  const name =
    vulnerability &&
    requiredString(vulnerability, 'name', appendPointer(at, 'vulnerability'), errors, { nonEmpty: true, identifier: true });
  const aliases = vulnerability ? optionalStringList(vulnerability, 'aliases', appendPointer(at, 'vulnerability'), errors) : [];
  const status = requiredString(value, 'status', at, errors);
  if (status !== undefined && !(VEX_STATUSES as readonly string[]).includes(status)) {
    errors.add(`${at}/status`, `must be one of ${VEX_STATUSES.join(', ')}`);
  }
  const justification = optionalString(value, 'justification', at, errors);
  if (justification !== undefined && !OPENVEX_JUSTIFICATIONS.includes(justification)) {
    errors.add(`${at}/justification`, `must be one of ${OPENVEX_JUSTIFICATIONS.join(', ')}`);
  }
  const impactStatement = optionalString(value, 'impact_statement', at, errors);
  if (status === 'not_affected' && justification === undefined && impactStatement === undefined) {
    errors.add(`${at}/justification`, 'is required for not_affected (or an impact_statement)');
  }
  const products: string[] = [];
  const subcomponents: string[] = [];
  (optionalArray(value, 'products', at, errors) ?? []).forEach((product, i) => {
    const productAt = `${at}/products/${i}`;
    const id = componentId(product, productAt, errors);
    if (id !== undefined) products.push(id);
    if (!isJsonObject(product)) return;
    (optionalArray(product, 'subcomponents', productAt, errors) ?? []).forEach((sub, j) => {
      const subId = componentId(sub, `${productAt}/subcomponents/${j}`, errors);
      if (subId !== undefined) subcomponents.push(subId);
    });
  });
  const timestamp = optionalInstant(value, 'timestamp', at, errors) ?? documentTime;
  if (name === undefined || status === undefined) return undefined;
  return {
    vulnerability: name,
    aliases,
    products,
    subcomponents,
    status: status as VexStatus,
    justification,
    impactStatement,
    timestamp,
    format: 'OpenVEX',
  };
}

/** A component's purl (`identifiers.purl`, else an `@id` that is a purl), else its `@id`. */
function componentId(value: unknown, at: string, errors: FieldErrors): string | undefined {
  if (!isJsonObject(value)) return void errors.add(at, 'must be a component object {@id, identifiers?}');
  const id = optionalString(value, '@id', at, errors, { identifier: true });
  const identifiers = optionalObject(value, 'identifiers', at, errors);
  const purl = identifiers && optionalString(identifiers, 'purl', appendPointer(at, 'identifiers'), errors, { identifier: true });
  const chosen = purl ?? id;
  if (chosen === undefined) errors.add(at, 'must identify the component by @id or identifiers.purl');
  return chosen;
}
