import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '#event-store';
import { SQL_DATABASE } from '#platform';
import type { ProjectSettings } from '../domain/project-settings.js';
import { DEFAULT_PROJECT_SETTINGS } from '../domain/project-settings.js';
import type { PrincipalKind } from '../domain/principal.decider.js';
import { AC } from './access-control.projection.js';

export interface ActiveToken {
  readonly tokenId: string;
  readonly principalId: string;
  readonly kind: PrincipalKind;
}

/** A grant that was not revoked; whether it has expired is judged against the clock when used. */
export interface GrantFact {
  readonly id: string;
  readonly role: string;
  readonly project: string;
  readonly expiresAt: string | null;
}

export interface TokenSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface GrantSummary {
  readonly id: string;
  readonly principalId: string;
  readonly role: string;
  readonly project: string;
  readonly reason: string;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface ProjectSettingsView extends ProjectSettings {
  readonly project: string;
  /** Changes so far (the project stream's version less its creation); 0 while the project has the defaults. */
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
/** Restricts rows to visible projects: '*' sees all, otherwise the listed ones. */
const visible = (projects: '*' | readonly string[], column: string, params: unknown[]) => {
  if (projects === '*') return 'TRUE';
  params.push([...projects]);
  return `${column} = ANY($${params.length}::text[])`;
};

/** Reads of the access-control read model. Lists take the projects the caller may see and filter in SQL. */
@Injectable()
export class AccessControlQueries {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async findActiveToken(tokenHash: string, now: Date): Promise<ActiveToken | null> {
    const rows = await this.db.query<{ token_id: string; principal_id: string; kind: PrincipalKind }>(
      `SELECT t.token_id, t.principal_id, p.kind FROM ${AC.api_tokens} t JOIN ${AC.principals} p ON p.id = t.principal_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
      [tokenHash, now.toISOString()],
    );
    const row = rows[0];
    return row ? { tokenId: row.token_id, principalId: row.principal_id, kind: row.kind } : null;
  }

  async grantsOf(principalId: string): Promise<GrantFact[]> {
    const rows = await this.db.query<{ id: string; role: string; project: string; expires_at: Date | string | null }>(
      `SELECT id, role, project, expires_at FROM ${AC.role_grants} WHERE principal_id = $1 AND revoked_at IS NULL ORDER BY granted_at, id`,
      [principalId],
    );
    return rows.map((r) => ({ id: r.id, role: r.role, project: r.project, expiresAt: iso(r.expires_at) }));
  }

  async principalKind(principalId: string): Promise<PrincipalKind | null> {
    const rows = await this.db.query<{ kind: PrincipalKind }>(`SELECT kind FROM ${AC.principals} WHERE id = $1`, [principalId]);
    return rows[0]?.kind ?? null;
  }

  async projectExists(projectId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM ${AC.projects} WHERE id = $1`, [projectId])).length > 0;
  }

  async productionEnvironments(projectId: string): Promise<readonly string[]> {
    return (await this.settingsOf(projectId))?.productionEnvironments ?? DEFAULT_PROJECT_SETTINGS.productionEnvironments;
  }

  /** Null when the project does not exist. */
  async settingsOf(projectId: string): Promise<ProjectSettingsView | null> {
    const rows = await this.db.query<{
      id: string;
      settings: ProjectSettings | string | null;
      version: number | null;
      updated_at: Date | null;
      updated_by: string | null;
    }>(
      `SELECT p.id, s.settings, s.version, s.updated_at, s.updated_by FROM ${AC.projects} p
       LEFT JOIN ${AC.project_settings} s ON s.project_id = p.id WHERE p.id = $1`,
      [projectId],
    );
    const row = rows[0];
    if (!row) return null;
    const settings =
      row.settings === null
        ? DEFAULT_PROJECT_SETTINGS
        : typeof row.settings === 'string'
          ? (JSON.parse(row.settings) as ProjectSettings)
          : row.settings;
    // Settings stored before a field existed read it at its default.
    return {
      project: row.id,
      ...DEFAULT_PROJECT_SETTINGS,
      ...settings,
      version: row.version ?? 0,
      updatedAt: iso(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  async projects(visibleProjects: '*' | readonly string[]): Promise<{ id: string; name: string; createdAt: string }[]> {
    const params: unknown[] = [];
    const rows = await this.db.query<{ id: string; name: string; created_at: Date }>(
      `SELECT id, name, created_at FROM ${AC.projects} WHERE ${visible(visibleProjects, 'id', params)} ORDER BY id`,
      params,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: iso(r.created_at)! }));
  }

  /** Grants on the visible projects ('*' grants only to those who see every project). */
  async grants(visibleProjects: '*' | readonly string[], filter: { principalId?: string; project?: string }): Promise<GrantSummary[]> {
    const params: unknown[] = [];
    const where = [visible(visibleProjects, 'project', params)];
    if (filter.principalId) where.push(`principal_id = $${params.push(filter.principalId)}`);
    if (filter.project) where.push(`project = $${params.push(filter.project)}`);
    const rows = await this.db.query<{
      id: string;
      principal_id: string;
      role: string;
      project: string;
      reason: string;
      granted_by: string;
      granted_at: Date;
      expires_at: Date | null;
      revoked_at: Date | null;
    }>(`SELECT * FROM ${AC.role_grants} WHERE ${where.join(' AND ')} ORDER BY granted_at, id LIMIT 1000`, params);
    return rows.map((r) => ({
      id: r.id,
      principalId: r.principal_id,
      role: r.role,
      project: r.project,
      reason: r.reason,
      grantedBy: r.granted_by,
      grantedAt: iso(r.granted_at)!,
      expiresAt: iso(r.expires_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  async tokensOf(principalId: string): Promise<TokenSummary[]> {
    const rows = await this.db.query<{ token_id: string; created_at: Date; expires_at: Date | null; revoked_at: Date | null }>(
      `SELECT token_id, created_at, expires_at, revoked_at FROM ${AC.api_tokens} WHERE principal_id = $1 ORDER BY created_at`,
      [principalId],
    );
    return rows.map((r) => ({ id: r.token_id, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at) }));
  }
}
