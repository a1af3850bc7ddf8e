import type { SettingsReader } from '#platform';

/** Access Control's settings: the policy decision point, OIDC sign-in, segregation of duties, the change window and the bootstrap admin. */
export interface AccessControlSettings {
  /** `cedar` evaluates in process (default); `opa` asks an OPA server over its Data API. */
  readonly policyEngine: 'cedar' | 'opa';
  readonly opaUrl: string | null;
  /** Package path of the decision rule, as in `POST /v1/data/<path>`. */
  readonly opaDecisionPath: string;
  readonly opaTimeoutMs: number;
  /** A directory of the organisation's own `*.cedar` policies, added to the built-in ones. */
  readonly policyDir: string | null;
  readonly oidc: OidcConfig | null;
  /** Role pairs one principal may not hold in the same project (static segregation of duties). */
  readonly sodConflictingRoles: readonly (readonly [string, string])[];
  /** When production changes may happen (absent: any time). */
  readonly changeWindow: ChangeWindow | null;
  /** `BOOTSTRAP_ADMIN_TOKEN`: on an empty store, principal `admin` holding platform-admin everywhere gets this token. A secret. */
  readonly bootstrapAdminToken: string | null;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** Claim whose value becomes the principal id (e.g. `sub`, `email`, `preferred_username`). */
  readonly principalClaim: string;
  readonly groupsClaim: string;
  /** Claim holding `user`, `pipeline` or `service`; absent means every token is a user's. */
  readonly kindClaim: string | null;
  /** Groups of the token that confer a role on a project ("*" for every project). */
  readonly groupRoles: readonly { readonly group: string; readonly role: string; readonly project: string }[];
}

export interface ChangeWindow {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Minutes after midnight, start inclusive, end exclusive. */
  readonly startMinute: number;
  readonly endMinute: number;
  /** IANA time zone the days and hours are read in. */
  readonly timeZone: string;
}

export const ACCESS_CONTROL_SETTINGS = Symbol('ACCESS_CONTROL_SETTINGS');

export const DEFAULT_SOD_CONFLICTS = 'developer+release-manager,qa+release-manager,auditor+platform-admin';
const ROLE_NAME = /^[a-z][a-z-]*$/;
const PROJECT_OR_ALL = /^(\*|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Reads Access Control's settings, adding every problem found to the reader. */
export function readAccessControlSettings(read: SettingsReader): AccessControlSettings {
  const get = (name: string) => read.string(name);
  const problems = read.problems;
  const engine = get('POLICY_ENGINE') ?? 'cedar';
  if (engine !== 'cedar' && engine !== 'opa') problems.push('POLICY_ENGINE must be cedar or opa');
  const opaUrl = get('OPA_URL');
  if (engine === 'opa' && !opaUrl) problems.push('POLICY_ENGINE=opa needs OPA_URL');
  if (opaUrl && !/^https?:\/\//.test(opaUrl)) problems.push('OPA_URL must start with http:// or https://');
  const opaDecisionPath = get('OPA_DECISION_PATH') ?? 'compliance_ledger/access/decision';
  if (!/^[A-Za-z_][\w]*(\/[A-Za-z_][\w]*)*$/.test(opaDecisionPath))
    problems.push('OPA_DECISION_PATH must be a package path such as compliance_ledger/access/decision');
  const opaTimeoutMs = read.integer('OPA_TIMEOUT_MS', 2000, 1, 60000);
  const bootstrapAdminToken = get('BOOTSTRAP_ADMIN_TOKEN');
  if (bootstrapAdminToken && bootstrapAdminToken.length < 16) problems.push('BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters');
  return {
    policyEngine: engine === 'opa' ? 'opa' : 'cedar',
    opaUrl: opaUrl ? opaUrl.replace(/\/+$/, '') : null,
    opaDecisionPath,
    opaTimeoutMs,
    policyDir: get('POLICY_DIR'),
    oidc: loadOidc(get, problems),
    sodConflictingRoles: parseConflicts(get('SOD_CONFLICTING_ROLES') ?? DEFAULT_SOD_CONFLICTS, problems),
    changeWindow: parseChangeWindow(get('CHANGE_WINDOW'), get('CHANGE_WINDOW_TIMEZONE') ?? 'UTC', problems),
    bootstrapAdminToken,
  };
}

function loadOidc(get: (name: string) => string | null, problems: string[]): OidcConfig | null {
  const issuer = get('OIDC_ISSUER');
  if (!issuer) {
    for (const name of ['OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_GROUP_ROLES']) if (get(name)) problems.push(`${name} needs OIDC_ISSUER`);
    return null;
  }
  const audience = get('OIDC_AUDIENCE');
  const jwksUrl = get('OIDC_JWKS_URL');
  if (!audience) problems.push('OIDC_ISSUER needs OIDC_AUDIENCE');
  if (!jwksUrl) problems.push("OIDC_ISSUER needs OIDC_JWKS_URL (the issuer's jwks_uri)");
  else if (!/^https?:\/\//.test(jwksUrl)) problems.push('OIDC_JWKS_URL must start with https:// (or http:// on loopback)');
  const groupRoles: { group: string; role: string; project: string }[] = [];
  for (const entry of (get('OIDC_GROUP_ROLES') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([^=]+)=([a-z-]+)@(.+)$/.exec(entry);
    if (!match || !ROLE_NAME.test(match[2]!) || !PROJECT_OR_ALL.test(match[3]!)) {
      problems.push(`OIDC_GROUP_ROLES entry "${entry}" must be group=role@project (project may be *)`);
      continue;
    }
    groupRoles.push({ group: match[1]!.trim(), role: match[2]!, project: match[3]! });
  }
  return {
    issuer,
    audience: audience ?? '',
    jwksUrl: jwksUrl ?? '',
    principalClaim: get('OIDC_PRINCIPAL_CLAIM') ?? 'sub',
    groupsClaim: get('OIDC_GROUPS_CLAIM') ?? 'groups',
    kindClaim: get('OIDC_KIND_CLAIM'),
    groupRoles,
  };
}

function parseConflicts(raw: string, problems: string[]): [string, string][] {
  if (raw === 'none') return [];
  const pairs: [string, string][] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [a, b, ...rest] = entry.split('+');
    if (!a || !b || rest.length > 0 || !ROLE_NAME.test(a) || !ROLE_NAME.test(b) || a === b) {
      problems.push(`SOD_CONFLICTING_ROLES entry "${entry}" must be role+other-role (or the whole value "none")`);
      continue;
    }
    pairs.push([a, b]);
  }
  return pairs;
}

/** `mon-fri 09:00-17:00` or `mon,wed,fri 08:30-12:00`; read in `timeZone`. */
export function parseChangeWindow(raw: string | null, timeZone: string, problems: string[]): ChangeWindow | null {
  if (!raw) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    problems.push(`CHANGE_WINDOW_TIMEZONE "${timeZone}" is not an IANA time zone`);
    return null;
  }
  const match = /^([a-z,-]+)\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/i.exec(raw);
  const days = match ? parseDays(match[1]!.toLowerCase()) : null;
  const start = match ? Number(match[2]) * 60 + Number(match[3]) : NaN;
  const end = match ? Number(match[4]) * 60 + Number(match[5]) : NaN;
  if (!days || !(start >= 0 && start < end && end <= 24 * 60)) {
    problems.push(`CHANGE_WINDOW "${raw}" must look like "mon-fri 09:00-17:00" (days, then a start before the end)`);
    return null;
  }
  return { days, startMinute: start, endMinute: end, timeZone };
}

function parseDays(spec: string): number[] | null {
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to] = part.split('-');
    const a = DAYS.indexOf(from ?? '');
    const b = to === undefined ? a : DAYS.indexOf(to);
    if (a < 0 || b < 0 || b < a) return null;
    for (let d = a; d <= b; d++) days.add(d + 1);
  }
  return [...days].sort();
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether `at` falls inside the window, in the window's time zone. */
export function withinChangeWindow(window: ChangeWindow, at: Date): boolean {
  let format = formats.get(window.timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: window.timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(window.timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(part('weekday').toLowerCase().slice(0, 3)) + 1;
  const minute = Number(part('hour')) * 60 + Number(part('minute'));
  return window.days.includes(day) && minute >= window.startMinute && minute < window.endMinute;
}
