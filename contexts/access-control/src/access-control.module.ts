import { Global, Module } from '@nestjs/common';
import type { Clock, IdGenerator } from '#kernel';
import { CommandExecutor } from '#kernel';
import type { AppConfig } from '#platform';
import { APP_CONFIG, AUTHENTICATOR, AUTHORIZER, CLOCK, ID_GENERATOR, ProjectionRunner } from '#platform';
import { AccessControlService } from './application/access-control.service.js';
import { BootstrapAdmin } from './application/bootstrap-admin.js';
import { CompositeAuthenticator, OidcAuthenticator } from './application/oidc-authenticator.js';
import { accessChangeFeed } from './application/policy/access-change-feed.js';
import { CachedAccessFacts } from './application/policy/access-facts.js';
import { EventStoreDecisionLog } from './application/policy/decision-log.js';
import { PolicyAuthorizer } from './application/policy/policy-authorizer.js';
import type { PolicyEngine } from './application/policy/policy-engine.js';
import { POLICY_ENGINE } from './application/policy/policy-engine.js';
import { createPolicyEngine } from './application/policy/policy-engine.factory.js';
import { TokenAuthenticator } from './application/token-authenticator.js';
import { AccessControlController } from './http/access-control.controller.js';
import { AccessDecisionsController } from './http/access-decisions.controller.js';
import { ProjectSettingsController } from './http/project-settings.controller.js';
import { AccessControlQueries } from './read-models/access-control.queries.js';
import { AccessControlProjection } from './read-models/access-control.projection.js';

/** Read models this context needs the platform to run. */
export const accessControlProjections = () => [new AccessControlProjection(accessChangeFeed)];

/**
 * Authentication and the policy decision point: every app imports it. Global, so the platform's
 * guard, controllers and write side, and every context, inject AUTHENTICATOR and AUTHORIZER by
 * their #platform tokens; an app without it fails at boot on the unresolved token.
 */
@Global()
@Module({
  providers: [
    AccessControlQueries,
    TokenAuthenticator,
    { provide: POLICY_ENGINE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createPolicyEngine(config.accessControl) },
    {
      provide: PolicyAuthorizer,
      inject: [POLICY_ENGINE, AccessControlQueries, ProjectionRunner, CommandExecutor, CLOCK, ID_GENERATOR, APP_CONFIG],
      useFactory: (engine: PolicyEngine, queries: AccessControlQueries, runner: ProjectionRunner, writes: CommandExecutor, clock: Clock, ids: IdGenerator, config: AppConfig) =>
        new PolicyAuthorizer({
          engine,
          facts: new CachedAccessFacts(queries, runner, accessChangeFeed),
          recorder: new EventStoreDecisionLog(writes, ids, engine.name === 'opa' ? config.accessControl.opaDecisionPath : 'cedar/access'),
          clock,
          ids,
          config: config.accessControl,
        }),
    },
    {
      provide: AUTHENTICATOR,
      inject: [TokenAuthenticator, CLOCK, APP_CONFIG],
      useFactory: (tokens: TokenAuthenticator, clock: Clock, config: AppConfig) =>
        new CompositeAuthenticator(tokens, config.accessControl.oidc ? new OidcAuthenticator(config.accessControl.oidc, clock) : null),
    },
    { provide: AUTHORIZER, useExisting: PolicyAuthorizer },
  ],
  exports: [AUTHENTICATOR, AUTHORIZER, PolicyAuthorizer, AccessControlQueries],
})
export class AccessControlAuthModule {}

@Module({
  imports: [AccessControlAuthModule],
  controllers: [AccessControlController, ProjectSettingsController, AccessDecisionsController],
  providers: [AccessControlService, BootstrapAdmin],
})
export class AccessControlModule {}
