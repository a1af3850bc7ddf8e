import type { Request } from 'express';

export type PrincipalKind = 'user' | 'pipeline' | 'service';

/** The authenticated caller of a request. */
export interface AuthenticatedPrincipal {
  readonly id: string;
  readonly kind: PrincipalKind;
  /** Id of the API token used, when the caller used one (never the token itself). */
  readonly tokenId?: string;
  /** How the caller proved who it is. */
  readonly via?: 'api-token' | 'oidc';
  /** Groups named by the caller's OIDC token; the access configuration may map them to roles. */
  readonly groups?: readonly string[];
}

/** Turns a bearer credential into a principal, or null when it is unknown, revoked or expired. */
export interface Authenticator {
  authenticate(bearer: string): Promise<AuthenticatedPrincipal | null>;
}

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');

export type AuthenticatedRequest = Request & { principal?: AuthenticatedPrincipal };
