import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { Clock, EventStore } from '#kernel';
import type { HealthCheck, HealthDetails, LeaderLock } from '#event-store';
import { CLOCK, EVENT_STORE, Metrics, ReadinessCheck } from '#platform';
import { exportPublicKeyBase64 } from '#transparency-log';
import { SealedLog, Sealer } from '../log/index.js';
import type { AuditLogSettings } from './audit-log.settings.js';
import { AUDIT_LOG_SETTINGS, SEALER_LOCK } from './audit-log.settings.js';

/**
 * The sealer in /health. Never down: a halted or failing sealer must not take the app out of
 * service (writes go on; they are sealed once it runs again), so it reports `degraded` with the
 * alarm instead. Standing by is fine.
 */
@ReadinessCheck()
export class SealerHealthCheck implements HealthCheck {
  readonly name = 'auditLog';
  sealer: Sealer | null = null;

  async check(): Promise<HealthDetails> {
    await Promise.resolve();
    if (this.sealer === null) return { sealer: 'not in this process' };
    const { state, treeSize, error, lockLosses } = this.sealer.status;
    if (state === 'halted')
      return { status: 'degraded', sealer: state, treeSize, alarm: `audit log sealer halted: ${error ?? 'unknown cause'}` };
    if (error !== null) return { status: 'degraded', sealer: state, treeSize, error, lockLosses };
    return { sealer: state, treeSize, lockLosses };
  }
}

/** Creates the log's tables and runs the sealer for the app's lifetime (when this app seals). */
@Injectable()
export class AuditSealerService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('audit-log');
  private sealer: Sealer | null = null;

  constructor(
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly log: SealedLog,
    private readonly metrics: Metrics,
    private readonly health: SealerHealthCheck,
    @Inject(SEALER_LOCK) private readonly lock: LeaderLock,
  ) {}

  async onModuleInit(): Promise<void> {
    const { keySource, keyFile, signingKey, lockDatabaseUrl } = this.settings;
    if (keySource === 'generated')
      this.logger.warn(`generated the audit log signing key ${keyFile} (public key ${exportPublicKeyBase64(signingKey)})`);
    if (keySource !== 'configured' && lockDatabaseUrl !== null) {
      this.logger.warn(
        `AUDIT_SIGNING_KEY is not set: checkpoints of the shared database are signed with the key in ${keyFile}, on this machine only`,
      );
    }
    await this.log.store.migrate();
  }

  onApplicationBootstrap(): void {
    if (!this.settings.runSealer) return;
    const treeSize = new Gauge({
      name: 'ledger_audit_log_tree_size',
      help: 'Size of the latest signed audit-log checkpoint',
      registers: [this.metrics.registry],
    });
    const halted = () => (this.sealer?.status.state === 'halted' ? 1 : 0);
    new Gauge({
      name: 'ledger_audit_log_sealer_halted',
      help: '1 when the audit-log sealer of this process halted (an integrity failure or an event it cannot seal; see /health)',
      registers: [this.metrics.registry],
      collect() {
        this.set(halted());
      },
    });
    const sealed = new Counter({
      name: 'ledger_audit_log_sealed_events_total',
      help: 'Events sealed into the audit log by this process',
      registers: [this.metrics.registry],
    });
    const { settings } = this;
    this.sealer = new Sealer({
      store: this.store,
      log: this.log,
      signingKey: settings.signingKey,
      origin: settings.origin,
      clock: this.clock,
      lock: this.lock,
      onError: (error) =>
        this.logger.error({
          msg: 'audit log sealing failed (it halts on integrity failures and unsealable events, else retries)',
          err: error,
        }),
      onSealed: (checkpoint, events) => {
        treeSize.set(checkpoint.treeSize);
        sealed.inc(events);
      },
    });
    this.health.sealer = this.sealer;
    this.sealer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sealer?.stop();
  }

  /** The sealer of this process, if it seals. */
  get current(): Sealer | null {
    return this.sealer;
  }
}
