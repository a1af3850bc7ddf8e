/** The roles of API-CONTRACT.md; grants scope them to one project or to every project ("*"). */
export const ROLES = [
  'platform-admin',
  'team-lead',
  'developer',
  'qa',
  'release-manager',
  'operations',
  'compliance-officer',
  'auditor',
  'pipeline',
] as const;

export type Role = (typeof ROLES)[number];

export const EVERY_PROJECT = '*';

export const PROJECT_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const PRINCIPAL_ID_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,127}$/;

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
