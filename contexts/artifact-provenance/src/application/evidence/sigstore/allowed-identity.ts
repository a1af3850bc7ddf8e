import { appendPointer } from '#kernel';
import { FieldErrors, isJsonObject, member, optionalString, requiredString } from '../json-fields.js';

/**
 * A keyless signer the project accepts: the OIDC issuer that vouched for it (the Fulcio issuer
 * extension) and its subject (the certificate's SAN: an email, or a URI such as
 * `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`). The subject is
 * given exactly or as a pattern; the issuer always exactly, since any issuer that mints tokens
 * for a matching subject would otherwise do.
 */
export interface AllowedIdentity {
  readonly issuer: string;
  readonly subject?: string;
  /** A JavaScript regular expression (`u` flag) that must match the whole SAN: it is anchored here. */
  readonly subjectPattern?: string;
}

/** What a verified certificate says about its signer. */
export interface CertificateIdentity {
  readonly issuer: string;
  readonly subject: string;
}

/** The pattern as matched: anchored, so `repo/.*` cannot match `evil/repo/…` and an unanchored alternation cannot escape. */
export function compileSubjectPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/**
 * Reads allowed identities from settings: each needs an issuer and exactly one of subject or
 * subjectPattern, and a pattern must compile. Throws kernel `Invalid` listing every bad field.
 */
export function parseAllowedIdentities(input: unknown, base = ''): AllowedIdentity[] {
  const errors = new FieldErrors();
  if (!Array.isArray(input)) errors.add(base, 'must be an array of {issuer, subject | subjectPattern}');
  const out: AllowedIdentity[] = [];
  (Array.isArray(input) ? (input as unknown[]) : []).forEach((item, i) => {
    const at = appendPointer(base, i);
    if (!isJsonObject(item)) return errors.add(at, 'must be an object {issuer, subject | subjectPattern}');
    const issuer = requiredString(item, 'issuer', at, errors, { nonEmpty: true, uri: true });
    const subject = optionalString(item, 'subject', at, errors, { nonEmpty: true });
    const subjectPattern = optionalString(item, 'subjectPattern', at, errors, { nonEmpty: true });
    if ((member(item, 'subject') === undefined) === (member(item, 'subjectPattern') === undefined)) {
      errors.add(at, 'must give exactly one of subject or subjectPattern');
    }
    if (subjectPattern !== undefined) {
      try {
        compileSubjectPattern(subjectPattern);
      } catch (e) {
        errors.add(appendPointer(at, 'subjectPattern'), `must be a regular expression: ${(e as Error).message}`);
      }
    }
    if (issuer !== undefined && (subject ?? subjectPattern) !== undefined)
      out.push({ issuer, ...(subject !== undefined ? { subject } : { subjectPattern: subjectPattern! }) });
  });
  errors.throwIfAny('the allowed identities');
  return out;
}

/** The first allowed identity the certificate's identity satisfies; a pattern that does not compile matches nothing. */
export function findAllowedIdentity(identity: CertificateIdentity, allowed: readonly AllowedIdentity[]): AllowedIdentity | undefined {
  return allowed.find((a) => {
    if (a.issuer !== identity.issuer) return false;
    if (a.subject !== undefined) return a.subject === identity.subject;
    if (a.subjectPattern === undefined) return false;
    try {
      return compileSubjectPattern(a.subjectPattern).test(identity.subject);
    } catch {
      return false;
    }
  });
}
