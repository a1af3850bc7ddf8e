import { appendPointer, unstorableJson } from '#kernel';
import { parseArtifactDigest, digestSetNamesArtifact } from '../../../domain/artifact-digest.js';
import {
  FieldErrors,
  isJsonObject,
  member,
  optionalObject,
  optionalString,
  requiredArray,
  requiredString,
  type JsonObject,
} from '../json-fields.js';
import { parseDigestSet, type DigestSet } from './digest-set.js';

export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** The previous major version, still written by older generators (slsa-github-generator before v2, Tekton Chains). */
export const STATEMENT_V0_1 = 'https://in-toto.io/Statement/v0.1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface StatementSubject {
  /** Unset in v1 when the name is not meaningful; "_" means the same. */
  readonly name: string | undefined;
  readonly digest: DigestSet;
}

export interface InTotoStatement {
  readonly statementType: typeof STATEMENT_V1 | typeof STATEMENT_V0_1;
  readonly subject: readonly StatementSubject[];
  readonly predicateType: string;
  /** `{}` when unset: the spec treats unset and empty alike. */
  readonly predicate: JsonObject;
}

/**
 * Reads an in-toto Statement (v1, or v0.1 whose subjects must be named). Unknown fields are
 * ignored, as the spec's parsing rules require. Throws kernel `Invalid` listing every bad field,
 * each pointer under `base`.
 */
export function parseInTotoStatement(input: unknown, base = ''): InTotoStatement {
  const errors = new FieldErrors();
  const statement = readStatement(input, base, errors);
  errors.throwIfAny('the in-toto statement');
  return statement!;
}

function readStatement(input: unknown, base: string, errors: FieldErrors): InTotoStatement | undefined {
  if (!isJsonObject(input)) return void errors.add(base, 'must be an in-toto Statement object {_type, subject, predicateType, predicate}');
  const type = requiredString(input, '_type', base, errors);
  if (type !== undefined && type !== STATEMENT_V1 && type !== STATEMENT_V0_1) {
    errors.add(appendPointer(base, '_type'), `must be "${STATEMENT_V1}" (or the older "${STATEMENT_V0_1}")`);
  }
  const v01 = type === STATEMENT_V0_1;
  const list = requiredArray(input, 'subject', base, errors);
  if (list !== undefined && list.length === 0) errors.add(appendPointer(base, 'subject'), 'must name at least one artifact');
  const subject: StatementSubject[] = [];
  (list ?? []).forEach((item, i) => {
    const at = appendPointer(appendPointer(base, 'subject'), i);
    if (!isJsonObject(item)) return errors.add(at, 'must be an object {name, digest}');
    const name = v01
      ? requiredString(item, 'name', at, errors, { nonEmpty: true, identifier: true })
      : optionalString(item, 'name', at, errors, { identifier: true });
    const digestValue = member(item, 'digest');
    if (digestValue === undefined) return errors.add(appendPointer(at, 'digest'), 'is required');
    const digest = parseDigestSet(digestValue, appendPointer(at, 'digest'), errors, { nonEmpty: true });
    if (digest !== undefined) subject.push({ name, digest });
  });
  const predicateType = requiredString(input, 'predicateType', base, errors, { uri: true, identifier: true });
  const predicate = optionalObject(input, 'predicate', base, errors) ?? {};
  if (type === undefined || predicateType === undefined) return undefined;
  return { statementType: type as InTotoStatement['statementType'], subject, predicateType, predicate };
}

/**
 * The in-toto media types: `application/vnd.in-toto+json` or a predicate-specific
 * `application/vnd.in-toto.<predicate>+json`. Only the Statement's predicateType says what the
 * predicate is; the media type is not trusted for that.
 */
export const isInTotoPayloadType = (payloadType: string): boolean =>
  payloadType === IN_TOTO_PAYLOAD_TYPE || /^application\/vnd\.in-toto\.[a-z0-9._-]+\+json$/.test(payloadType);

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the Statement inside a DSSE payload: the verified bytes, decoded as UTF-8 and parsed as
 * JSON here, never re-read from the envelope. The payload never went through the HTTP edge's
 * checks, so it gets them now (depth, NUL, lone surrogates). Errors point under `base`
 * (default `/payload`): the pointer after it addresses the decoded Statement.
 */
export function parseStatementPayload(payloadType: string, payload: Uint8Array, base = '/payload'): InTotoStatement {
  const errors = new FieldErrors();
  if (!isInTotoPayloadType(payloadType)) {
    errors.add('/payloadType', `must be "${IN_TOTO_PAYLOAD_TYPE}" (or application/vnd.in-toto.<predicate>+json) for an in-toto statement`);
  }
  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(payload));
  } catch (e) {
    errors.add(base, e instanceof SyntaxError ? `is not a JSON document: ${e.message}` : 'is not UTF-8 text');
  }
  errors.throwIfAny('the attestation payload');
  for (const problem of unstorableJson(json, base)) errors.add(problem.pointer, problem.message);
  errors.throwIfAny('the attestation payload');
  return parseInTotoStatement(json, base);
}

/** Whether any subject of the statement is the artifact `digest` (`sha256:<hex>`). */
export function statementNamesArtifact(statement: InTotoStatement, digest: string): boolean {
  const artifact = parseArtifactDigest(digest);
  return artifact !== undefined && statement.subject.some((s) => digestSetNamesArtifact(s.digest, artifact));
}
