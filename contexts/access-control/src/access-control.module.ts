import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import type { Clock, IdGenerator } from '#kernel';
import { CommandExecutor } from '#kernel';
import { AUTHENTICATOR, AUTHORIZER, CLOCK, defineContext, ID_GENERATOR, ProjectionRunner } from '#platform';
import type { AccessControlSettings } from './access-control.settings.js';
import { ACCESS_CONTROL_SETTINGS, readAccessControlSettings } from './access-control.settings.js';
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

/**
 * Authentication and the policy decision point. Global: every app hosts it (the Access Control app
 * with its endpoints, the others for authentication alone), so the platform's guard, controllers
 * and write side, and every context, inject AUTHENTICATOR and AUTHORIZER by their #platform tokens;
 * an app without it fails at boot on the unresolved token.
 */
@Global()
@Module({})
export class AccessControlAuthModule {
  static forRoot(settings: AccessControlSettings): DynamicModule {
    return {
      module: AccessControlAuthModule,
      providers: [
        { provide: ACCESS_CONTROL_SETTINGS, useValue: settings },
        AccessControlQueries,
        TokenAuthenticator,
        { provide: POLICY_ENGINE, useFactory: () => createPolicyEngine(settings) },
        {
          provide: PolicyAuthorizer,
          inject: [POLICY_ENGINE, AccessControlQueries, ProjectionRunner, CommandExecutor, CLOCK, ID_GENERATOR],
          useFactory: (
            engine: PolicyEngine,
            queries: AccessControlQueries,
            runner: ProjectionRunner,
            writes: CommandExecutor,
            clock: Clock,
            ids: IdGenerator,
          ) =>
            new PolicyAuthorizer({
              engine,
              facts: new CachedAccessFacts(queries, runner, accessChangeFeed),
              recorder: new EventStoreDecisionLog(writes, ids, engine.name === 'opa' ? settings.opaDecisionPath : 'cedar/access'),
              clock,
              ids,
              config: settings,
            }),
        },
        {
          provide: AUTHENTICATOR,
          inject: [TokenAuthenticator, CLOCK],
          useFactory: (tokens: TokenAuthenticator, clock: Clock) =>
            new CompositeAuthenticator(tokens, settings.oidc ? new OidcAuthenticator(settings.oidc, clock) : null),
        },
        { provide: AUTHORIZER, useExisting: PolicyAuthorizer },
      ],
      exports: [ACCESS_CONTROL_SETTINGS, AUTHENTICATOR, AUTHORIZER, PolicyAuthorizer, AccessControlQueries],
    };
  }
}

/** Access Control's endpoints: principals, tokens, role grants, project settings, decisions. */
@Module({})
export class AccessControlModule {
  static forRoot(settings: AccessControlSettings): DynamicModule {
    return {
      module: AccessControlModule,
      imports: [AccessControlAuthModule.forRoot(settings)],
      controllers: [AccessControlController, ProjectSettingsController, AccessDecisionsController],
      providers: [AccessControlService, BootstrapAdmin],
    };
  }
}

/** Access Control as its own app hosts it: endpoints, authentication and the read model. */
export const accessControlContext = defineContext({
  name: 'access-control',
  settings: readAccessControlSettings,
  module: (settings) => AccessControlModule.forRoot(settings),
  projections: () => [new AccessControlProjection(accessChangeFeed)],
});

/**
 * What every other app hosts of Access Control: authentication and the decision point, against
 * the read model the Access Control app keeps in the shared database (it runs no projection here).
 */
export const accessControlAuthentication = defineContext({
  name: 'access-control',
  settings: readAccessControlSettings,
  module: (settings) => AccessControlAuthModule.forRoot(settings),
});
