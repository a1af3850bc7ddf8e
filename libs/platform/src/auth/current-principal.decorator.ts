import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import { Unauthenticated } from '#kernel';
import type { AuthenticatedPrincipal, AuthenticatedRequest } from './principal.js';

/** Injects the authenticated principal into a handler parameter. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Unauthenticated('no authenticated principal');
  return principal;
});
