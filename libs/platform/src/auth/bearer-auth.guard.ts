import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Unauthenticated } from '#kernel';
import type { AuthenticatedRequest, Authenticator } from './principal.js';
import { AUTHENTICATOR } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../tokens.js';

/** Every route needs `Authorization: Bearer <token>` unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<true | 'metrics' | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic === true || (isPublic === 'metrics' && this.config.metricsPublic)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('missing bearer token: send Authorization: Bearer <token>');
    const principal = await this.authenticator.authenticate(match[1]!);
    if (!principal) throw new Unauthenticated('the bearer token is unknown, revoked or expired');
    request.principal = principal;
    return true;
  }
}
