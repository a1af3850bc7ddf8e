import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EventStore } from '#kernel';
import { MessagingRuntime } from '#messaging';
import { ProjectionRunner } from './projections/projection-runner.js';
import type { SqlDatabase } from '#event-store';
import { EVENT_STORE, SQL_DATABASE } from './tokens.js';

/** Starts the read side with the app and closes storage last on shutdown. */
@Injectable()
export class PlatformLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Optional() private readonly messaging?: MessagingRuntime,
  ) {}

  /** Before any onApplicationBootstrap hook, so bootstrap writes are projected. */
  async onModuleInit(): Promise<void> {
    await this.runner.start();
    await this.messaging?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging?.stop();
    await this.runner.stop();
    await this.store.close();
    await this.db.close();
  }
}
