import type { RecordedEvent } from '#kernel';
import type { Projection } from '#platform';
import { readModelTables } from '#platform';
import type { SqlExecutor } from '#event-store';
import type { AccessChangeFeed } from '../application/policy/access-change-feed.js';
import { principalKey, projectKey } from '../application/policy/access-change-feed.js';
import type { PrincipalEvent } from '../domain/principal.decider.js';
import type { ProjectEvent } from '../domain/project.decider.js';
import type { RoleGrantEvent } from '../domain/role-grant.decider.js';

type AccessControlEvent = PrincipalEvent | ProjectEvent | RoleGrantEvent;

export const ACCESS_CONTROL_READ_MODEL = 'access-control';
/** Bump on any change to the tables below or to what `apply` writes: the runner rebuilds the new version from the log. */
export const ACCESS_CONTROL_READ_MODEL_VERSION = 1;
/** The tables of the version in use, for the projection and its queries. */
export const AC = readModelTables(ACCESS_CONTROL_READ_MODEL, ACCESS_CONTROL_READ_MODEL_VERSION, [
  'projects',
  'project_settings',
  'principals',
  'api_tokens',
  'role_grants',
]);

/** Projects and their settings, principals, token hashes and role grants, for lookups by hash and by principal. */
export class AccessControlProjection implements Projection {
  readonly name = ACCESS_CONTROL_READ_MODEL;
  readonly version = ACCESS_CONTROL_READ_MODEL_VERSION;
  readonly eventTypes = [
    'ProjectCreated',
    'ProjectSettingsChanged',
    'PrincipalRegistered',
    'TokenIssued',
    'TokenRevoked',
    'RoleGranted',
    'RoleRevoked',
  ] satisfies AccessControlEvent['type'][];
  readonly schema = `
    CREATE TABLE ${AC.projects} (id text PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL);
    CREATE TABLE ${AC.project_settings} (
      project_id text PRIMARY KEY, settings jsonb NOT NULL, version integer NOT NULL, updated_at timestamptz NOT NULL, updated_by text NOT NULL);
    CREATE TABLE ${AC.principals} (id text PRIMARY KEY, kind text NOT NULL, display_name text NOT NULL, created_at timestamptz NOT NULL);
    CREATE TABLE ${AC.api_tokens} (
      token_hash text PRIMARY KEY, token_id text NOT NULL, principal_id text NOT NULL,
      expires_at timestamptz, created_at timestamptz NOT NULL, revoked_at timestamptz);
    CREATE INDEX api_tokens_principal ON ${AC.api_tokens} (principal_id);
    CREATE TABLE ${AC.role_grants} (
      id text PRIMARY KEY, principal_id text NOT NULL, role text NOT NULL, project text NOT NULL, reason text NOT NULL,
      granted_by text NOT NULL, granted_at timestamptz NOT NULL, expires_at timestamptz, revoked_at timestamptz, revoked_by text);
    CREATE INDEX role_grants_principal ON ${AC.role_grants} (principal_id);
    CREATE INDEX role_grants_project ON ${AC.role_grants} (project);`;

  /** `feed` hears of every change to grants and settings, so cached access facts drop at once. */
  constructor(private readonly feed: AccessChangeFeed) {}

  /** In every process (a standby applies nothing but still drops its cached facts). */
  observe(events: readonly RecordedEvent[]): void {
    for (const recorded of events) {
      const event = recorded as unknown as AccessControlEvent;
      switch (event.type) {
        case 'ProjectCreated':
        case 'ProjectSettingsChanged':
          this.feed.touch(projectKey(event.data.projectId), recorded.cursor);
          break;
        case 'RoleGranted':
        case 'RoleRevoked':
          this.feed.touch(principalKey(event.data.principalId), recorded.cursor);
          break;
        default:
          break;
      }
    }
  }

  async apply(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
    const event = recorded as unknown as AccessControlEvent;
    const at = recorded.metadata.occurredAt;
    switch (event.type) {
      case 'ProjectCreated':
        await tx.query(`INSERT INTO ${AC.projects} VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          event.data.projectId,
          event.data.name,
          at,
        ]);
        return;
      case 'ProjectSettingsChanged':
        await tx.query(
          // Versioned by the project stream (created = 1), so applying an event twice changes nothing.
          `INSERT INTO ${AC.project_settings} AS s VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (project_id) DO UPDATE SET settings = EXCLUDED.settings, version = EXCLUDED.version,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
           WHERE s.version < EXCLUDED.version`,
          [event.data.projectId, JSON.stringify(event.data.settings), recorded.streamVersion - 1, at, recorded.metadata.actor],
        );
        return;
      case 'PrincipalRegistered':
        await tx.query(`INSERT INTO ${AC.principals} VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
          event.data.principalId,
          event.data.kind,
          event.data.displayName,
          at,
        ]);
        return;
      case 'TokenIssued':
        await tx.query(`INSERT INTO ${AC.api_tokens} VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT DO NOTHING`, [
          event.data.tokenHash,
          event.data.tokenId,
          event.data.principalId,
          event.data.expiresAt,
          at,
        ]);
        return;
      case 'TokenRevoked':
        await tx.query(`UPDATE ${AC.api_tokens} SET revoked_at = $3 WHERE principal_id = $1 AND token_id = $2`, [
          event.data.principalId,
          event.data.tokenId,
          at,
        ]);
        return;
      case 'RoleGranted': {
        const d = event.data;
        await tx.query(`INSERT INTO ${AC.role_grants} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL) ON CONFLICT DO NOTHING`, [
          d.grantId,
          d.principalId,
          d.role,
          d.project,
          d.reason,
          d.grantedBy,
          at,
          d.expiresAt,
        ]);
        return;
      }
      case 'RoleRevoked':
        await tx.query(`UPDATE ${AC.role_grants} SET revoked_at = $2, revoked_by = $3 WHERE id = $1`, [
          event.data.grantId,
          at,
          event.data.revokedBy,
        ]);
        return;
      default:
        return;
    }
  }
}
