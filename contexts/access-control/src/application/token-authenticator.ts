import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '#kernel';
import type { AuthenticatedPrincipal, Authenticator } from '#platform';
import { CLOCK, hashToken, WriteSide } from '#platform';
import { principalDecider, principalStreamId } from '../domain/principal.decider.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';

/**
 * API tokens: found by hash in the read model, then confirmed against the principal's own stream,
 * so a revocation counts at once even where this process's read model lags behind another's write.
 */
@Injectable()
export class TokenAuthenticator implements Authenticator {
  constructor(
    private readonly queries: AccessControlQueries,
    private readonly writeSide: WriteSide,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(bearer: string): Promise<AuthenticatedPrincipal | null> {
    const now = this.clock.now();
    const found = await this.queries.findActiveToken(hashToken(bearer), now);
    if (!found) return null;
    const { state } = await this.writeSide.load(principalStreamId(found.principalId), principalDecider);
    const token = state.status === 'Active' ? state.tokens[found.tokenId] : undefined;
    if (!token || token.revoked || (token.expiresAt !== null && new Date(token.expiresAt) <= now)) return null;
    return { id: found.principalId, kind: found.kind, tokenId: found.tokenId, via: 'api-token' };
  }
}
