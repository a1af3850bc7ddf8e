import { Module } from '@nestjs/common';
import { AUTHENTICATOR, AUTHORIZER } from '#platform';
import { AccessControlService } from './application/access-control.service.js';
import { AccessPolicy } from './application/access-policy.js';
import { BootstrapAdmin } from './application/bootstrap-admin.js';
import { TokenAuthenticator } from './application/token-authenticator.js';
import { RbacAuthorizer } from './application/rbac-authorizer.js';
import { AccessControlController } from './http/access-control.controller.js';
import { AccessControlQueries } from './read-models/access-control.queries.js';
import { AccessControlProjection } from './read-models/access-control.projection.js';

/** Read models this context needs the platform to run. */
export const accessControlProjections = () => [new AccessControlProjection()];

/** Authentication and the policy decision point: every app imports it. */
@Module({
  providers: [
    AccessControlQueries,
    TokenAuthenticator,
    RbacAuthorizer,
    { provide: AUTHENTICATOR, useExisting: TokenAuthenticator },
    { provide: AUTHORIZER, useExisting: RbacAuthorizer },
  ],
  exports: [AUTHENTICATOR, AUTHORIZER, AccessControlQueries],
})
export class AccessControlAuthModule {}

@Module({
  imports: [AccessControlAuthModule],
  controllers: [AccessControlController],
  providers: [AccessControlService, AccessPolicy, BootstrapAdmin],
})
export class AccessControlModule {}
