import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '#platform';
import { SQL_DATABASE } from '#platform';

export interface ActiveToken {
  readonly tokenId: string;
  readonly principalId: string;
  readonly kind: 'user' | 'pipeline' | 'service';
}

export interface ActiveGrant {
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

/** Reads of the access-control read model; expiry is judged against the time passed in. */
@Injectable()
export class AccessControlQueries {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async findActiveToken(tokenHash: string, now: Date): Promise<ActiveToken | null> {
    const rows = await this.db.query<{ token_id: string; principal_id: string; kind: ActiveToken['kind'] }>(
      `SELECT t.token_id, t.principal_id, p.kind FROM ac_api_tokens t JOIN ac_principals p ON p.id = t.principal_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
      [tokenHash, now.toISOString()],
    );
    const row = rows[0];
    return row ? { tokenId: row.token_id, principalId: row.principal_id, kind: row.kind } : null;
  }

  async activeGrants(principalId: string, now: Date): Promise<ActiveGrant[]> {
    const rows = await this.db.query<{ id: string; role: string; project: string; expires_at: Date | string | null }>(
      `SELECT id, role, project, expires_at FROM ac_role_grants
       WHERE principal_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) ORDER BY granted_at`,
      [principalId, now.toISOString()],
    );
    return rows.map((r) => ({ id: r.id, role: r.role, project: r.project, expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null }));
  }

  async tokensOf(principalId: string): Promise<TokenSummary[]> {
    const rows = await this.db.query<{ token_id: string; created_at: Date; expires_at: Date | null; revoked_at: Date | null }>(
      'SELECT token_id, created_at, expires_at, revoked_at FROM ac_api_tokens WHERE principal_id = $1 ORDER BY created_at',
      [principalId],
    );
    const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
    return rows.map((r) => ({ id: r.token_id, createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at) }));
  }
}
