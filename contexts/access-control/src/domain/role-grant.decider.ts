import type { Decider, DomainEvent } from '#kernel';
import { Conflict, Forbidden, Invalid, NotFound } from '#kernel';
import type { Role } from './roles.js';

export type GrantRole = {
  type: 'GrantRole';
  grantId: string;
  principalId: string;
  role: Role;
  project: string;
  reason: string;
  grantedBy: string;
  expiresAt: string | null;
  now: string;
};
export type RevokeRoleGrant = { type: 'RevokeRoleGrant'; reason: string; revokedBy: string };
export type RoleGrantCommand = GrantRole | RevokeRoleGrant;

export type RoleGranted = DomainEvent<
  'RoleGranted',
  { grantId: string; principalId: string; role: Role; project: string; reason: string; grantedBy: string; expiresAt: string | null }
>;
export type RoleRevoked = DomainEvent<
  'RoleRevoked',
  { grantId: string; principalId: string; role: Role; project: string; reason: string; revokedBy: string }
>;
export type RoleGrantEvent = RoleGranted | RoleRevoked;

export type RoleGrantState =
  | { status: 'None' }
  | { status: 'Active' | 'Revoked'; grantId: string; principalId: string; role: Role; project: string; expiresAt?: string | null };

export const roleGrantStreamId = (grantId: string) => `rolegrant-${grantId}`;

const sameGrant = (state: { principalId: string; role: Role; project: string; expiresAt?: string | null }, command: GrantRole) =>
  state.principalId === command.principalId &&
  state.role === command.role &&
  state.project === command.project &&
  (state.expiresAt ?? null) === command.expiresAt;

function grantRole(command: GrantRole, state: RoleGrantState): RoleGrantEvent[] {
  // The same grant again (a retry, or a concurrent duplicate on the same stream) decides nothing.
  const repeat = state.status === 'Active' && sameGrant(state, command);
  if (state.status !== 'None' && !repeat) throw new Conflict(`role grant ${command.grantId} already exists`);
  if (command.grantedBy === command.principalId) {
    throw new Forbidden('nobody may grant a role to themselves', 'sod.no-self-grant');
  }
  if (command.expiresAt !== null && command.expiresAt <= command.now) {
    throw new Invalid('expiresAt must be in the future', [{ pointer: '/expiresAt', message: 'must be a future time' }]);
  }
  if (repeat) return [];
  const { grantId, principalId, role, project, reason, grantedBy, expiresAt } = command;
  return [{ type: 'RoleGranted', data: { grantId, principalId, role, project, reason, grantedBy, expiresAt } }];
}

function revokeRoleGrant(command: RevokeRoleGrant, state: RoleGrantState): RoleGrantEvent[] {
  if (state.status === 'None') throw new NotFound('role grant not found');
  if (state.status === 'Revoked') throw new Conflict(`role grant ${state.grantId} is already revoked`);
  return [
    {
      type: 'RoleRevoked',
      data: {
        grantId: state.grantId,
        principalId: state.principalId,
        role: state.role,
        project: state.project,
        reason: command.reason,
        revokedBy: command.revokedBy,
      },
    },
  ];
}

export const roleGrantDecider: Decider<RoleGrantCommand, RoleGrantEvent, RoleGrantState> = {
  initialState: () => ({ status: 'None' }),
  decide(command, state) {
    switch (command.type) {
      case 'GrantRole':
        return grantRole(command, state);
      case 'RevokeRoleGrant':
        return revokeRoleGrant(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RoleGranted':
        return {
          status: 'Active',
          grantId: event.data.grantId,
          principalId: event.data.principalId,
          role: event.data.role,
          project: event.data.project,
          expiresAt: event.data.expiresAt,
        };
      case 'RoleRevoked':
        return state.status === 'None' ? state : { ...state, status: 'Revoked' };
      default: {
        // The compiler's check that every event type has its case; at run time an unknown type changes nothing.
        const _unhandled: never = event;
        return state;
      }
    }
  },
};
