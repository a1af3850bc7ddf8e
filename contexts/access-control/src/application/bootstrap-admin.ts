import type { OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccessControlSettings } from '../access-control.settings.js';
import { ACCESS_CONTROL_SETTINGS } from '../access-control.settings.js';
import type { Clock, EventStore } from '#kernel';
import { CLOCK, EVENT_STORE, hashToken, WriteSide } from '#platform';
import { principalDecider, principalStreamId } from '../domain/principal.decider.js';
import { EVERY_PROJECT } from '../domain/roles.js';
import { roleGrantDecider, roleGrantStreamId } from '../domain/role-grant.decider.js';

export const BOOTSTRAP_ADMIN_ID = 'admin';
const SYSTEM = 'system';

/**
 * On an empty store, BOOTSTRAP_ADMIN_TOKEN creates principal "admin" holding platform-admin on
 * every project, so the first real principals and grants can be made through the API.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('bootstrap');

  constructor(
    @Inject(ACCESS_CONTROL_SETTINGS) private readonly config: AccessControlSettings,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writeSide: WriteSide,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const token = this.config.bootstrapAdminToken;
    if (!token) return;
    if (!(await this.store.isEmpty())) {
      this.logger.log('store not empty: BOOTSTRAP_ADMIN_TOKEN ignored');
      return;
    }
    const ctx = { actor: SYSTEM, context: 'access-control' };
    // No caller asks for these: the system sets up an empty store (access null, nothing to decide).
    const stream = principalStreamId(BOOTSTRAP_ADMIN_ID);
    const now = this.clock.now().toISOString();
    await this.writeSide.execute(
      stream,
      principalDecider,
      { type: 'RegisterPrincipal', principalId: BOOTSTRAP_ADMIN_ID, kind: 'user', displayName: 'Bootstrap administrator' },
      ctx,
      null,
    );
    await this.writeSide.execute(
      stream,
      principalDecider,
      { type: 'IssueToken', tokenId: 'bootstrap', tokenHash: hashToken(token), expiresAt: null, now },
      ctx,
      null,
    );
    await this.writeSide.execute(
      roleGrantStreamId('bootstrap-admin'),
      roleGrantDecider,
      {
        type: 'GrantRole',
        grantId: 'bootstrap-admin',
        principalId: BOOTSTRAP_ADMIN_ID,
        role: 'platform-admin',
        project: EVERY_PROJECT,
        reason: 'bootstrap administrator from BOOTSTRAP_ADMIN_TOKEN',
        grantedBy: SYSTEM,
        expiresAt: null,
        now,
      },
      ctx,
      null,
    );
    this.logger.log('created principal "admin" with platform-admin on every project');
  }
}
