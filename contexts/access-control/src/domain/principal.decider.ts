import type { Decider, DomainEvent } from '#kernel';
import { Conflict, Invalid, NotFound } from '#kernel';

export type PrincipalKind = 'user' | 'pipeline' | 'service';

export type RegisterPrincipal = { type: 'RegisterPrincipal'; principalId: string; kind: PrincipalKind; displayName: string };
export type IssueToken = { type: 'IssueToken'; tokenId: string; tokenHash: string; expiresAt: string | null; now: string };
export type RevokeToken = { type: 'RevokeToken'; tokenId: string };
export type PrincipalCommand = RegisterPrincipal | IssueToken | RevokeToken;

export type PrincipalRegistered = DomainEvent<'PrincipalRegistered', { principalId: string; kind: PrincipalKind; displayName: string }>;
/** Only the SHA-256 of the token is ever stored. */
export type TokenIssued = DomainEvent<'TokenIssued', { principalId: string; tokenId: string; tokenHash: string; expiresAt: string | null }>;
export type TokenRevoked = DomainEvent<'TokenRevoked', { principalId: string; tokenId: string }>;
export type PrincipalEvent = PrincipalRegistered | TokenIssued | TokenRevoked;

export interface TokenState {
  readonly tokenHash: string;
  readonly expiresAt: string | null;
  readonly revoked: boolean;
}

export type PrincipalState =
  | { status: 'None' }
  | { status: 'Active'; principalId: string; kind: PrincipalKind; displayName: string; tokens: Readonly<Record<string, TokenState>> };

export const principalStreamId = (principalId: string) => `principal-${principalId}`;

type ActivePrincipal = Extract<PrincipalState, { status: 'Active' }>;

/** Every command but registration needs the principal to exist. */
function registered(state: PrincipalState): ActivePrincipal {
  if (state.status === 'None') throw new NotFound('principal not found');
  return state;
}

function registerPrincipal(command: RegisterPrincipal, state: PrincipalState): PrincipalEvent[] {
  if (state.status !== 'None') throw new Conflict(`principal ${command.principalId} already exists`);
  return [
    { type: 'PrincipalRegistered', data: { principalId: command.principalId, kind: command.kind, displayName: command.displayName } },
  ];
}

function issueToken(command: IssueToken, state: PrincipalState): PrincipalEvent[] {
  const principal = registered(state);
  if (command.expiresAt !== null && command.expiresAt <= command.now) {
    throw new Invalid('expiresAt must be in the future', [{ pointer: '/expiresAt', message: 'must be a future time' }]);
  }
  if (principal.tokens[command.tokenId]) throw new Conflict(`token ${command.tokenId} already exists`);
  return [
    {
      type: 'TokenIssued',
      data: { principalId: principal.principalId, tokenId: command.tokenId, tokenHash: command.tokenHash, expiresAt: command.expiresAt },
    },
  ];
}

function revokeToken(command: RevokeToken, state: PrincipalState): PrincipalEvent[] {
  const principal = registered(state);
  const token = principal.tokens[command.tokenId];
  if (!token) throw new NotFound(`token ${command.tokenId} not found for principal ${principal.principalId}`);
  if (token.revoked) return []; // revoking twice changes nothing
  return [{ type: 'TokenRevoked', data: { principalId: principal.principalId, tokenId: command.tokenId } }];
}

export const principalDecider: Decider<PrincipalCommand, PrincipalEvent, PrincipalState> = {
  initialState: () => ({ status: 'None' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterPrincipal':
        return registerPrincipal(command, state);
      case 'IssueToken':
        return issueToken(command, state);
      case 'RevokeToken':
        return revokeToken(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PrincipalRegistered':
        return {
          status: 'Active',
          principalId: event.data.principalId,
          kind: event.data.kind,
          displayName: event.data.displayName,
          tokens: {},
        };
      case 'TokenIssued':
        if (state.status !== 'Active') return state;
        return {
          ...state,
          tokens: {
            ...state.tokens,
            [event.data.tokenId]: { tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt, revoked: false },
          },
        };
      case 'TokenRevoked': {
        if (state.status !== 'Active') return state;
        const token = state.tokens[event.data.tokenId];
        if (!token) return state;
        return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { ...token, revoked: true } } };
      }
      default: {
        // The compiler's check that every event type has its case; at run time an unknown type changes nothing.
        const _unhandled: never = event;
        return state;
      }
    }
  },
};
