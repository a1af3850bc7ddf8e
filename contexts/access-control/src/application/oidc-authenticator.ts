import type { Clock } from '#kernel';
import type { AuthenticatedPrincipal, Authenticator } from '#platform';
import type { OidcConfig } from '../access-control.settings.js';
import type { JWTPayload } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { PRINCIPAL_ID_PATTERN } from '../domain/roles.js';

const KINDS = new Set(['user', 'pipeline', 'service']);
export const looksLikeJwt = (bearer: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(bearer);

/**
 * JWTs of the configured OIDC issuer: signature against the issuer's JWKS (fetched and cached by
 * jose, refreshed when an unknown key id appears), issuer, audience and expiry against our clock.
 * The principal id comes from a configured claim, lower-cased; its groups may map to roles.
 */
export class OidcAuthenticator implements Authenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
  ) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  async authenticate(bearer: string): Promise<AuthenticatedPrincipal | null> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(bearer, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        currentDate: this.clock.now(),
      }));
    } catch {
      return null; // bad signature, wrong issuer or audience, expired, or keys unreachable: not authenticated
    }
    const raw = payload[this.config.principalClaim];
    const id = typeof raw === 'string' ? raw.toLowerCase() : null;
    if (!id || !PRINCIPAL_ID_PATTERN.test(id)) return null;
    const kindClaim = this.config.kindClaim ? payload[this.config.kindClaim] : undefined;
    if (kindClaim !== undefined && (typeof kindClaim !== 'string' || !KINDS.has(kindClaim))) return null;
    const kind = (kindClaim ?? 'user') as AuthenticatedPrincipal['kind'];
    return { id, kind, via: 'oidc', groups: groupsOf(payload[this.config.groupsClaim]) };
  }
}

/** Groups as an array of strings or one space-separated string (both are seen in the wild). */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  return [];
}

/** API tokens, and JWTs when an OIDC issuer is configured. */
export class CompositeAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: Authenticator,
    private readonly oidc: Authenticator | null,
  ) {}

  authenticate(bearer: string): Promise<AuthenticatedPrincipal | null> {
    if (this.oidc && looksLikeJwt(bearer)) return this.oidc.authenticate(bearer);
    return this.tokens.authenticate(bearer);
  }
}
