import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventStore } from '#kernel';
import { Invalid, NotFound } from '#kernel';
import type { AuditVerification, StoredLeaf } from '../log/index.js';
import type { AuthenticatedPrincipal, Authorizer } from '#platform';
import type { SignedCheckpoint } from '#transparency-log';
import { AUTHORIZER, EVENT_STORE } from '#platform';
import { SealedLog, describeAuditVerification, exportLogChunks, verifyStoredLog } from '../log/index.js';
import { exportPublicKeyBase64, formatVerifierKey, noteVerifierKey, toHex } from '#transparency-log';
import type { AuditLogSettings } from './audit-log.settings.js';
import { AUDIT_LOG_SETTINGS } from './audit-log.settings.js';

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly hashes: readonly string[];
  readonly position: number;
  readonly eventId: string;
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly hashes: readonly string[];
}

const AUDIT_TRAIL = { type: 'audit-trail' } as const;

/**
 * Checkpoints, proofs, verification and export of the sealed log. Proofs come from the
 * in-memory tree, which is only ever served after the latest checkpoint was checked against it
 * and against the log's key; verification and export read the store and the stored leaves.
 */
@Injectable()
export class AuditLogService {
  private readonly logger = new Logger('audit-log');

  constructor(
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly log: SealedLog,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
  ) {}

  /** The latest signed checkpoint; any authenticated caller may read it (it reveals a size and a hash). */
  async checkpoint(): Promise<SignedCheckpoint> {
    const checkpoint = await this.log.latest();
    if (checkpoint === null) throw new NotFound('no checkpoint has been signed yet: the sealer has not run');
    return checkpoint;
  }

  publicKey(): { publicKey: string; origin: string; verifierKey: string } {
    const { signingKey, origin } = this.settings;
    return { publicKey: exportPublicKeyBase64(signingKey), origin, verifierKey: formatVerifierKey(noteVerifierKey(origin, signingKey)) };
  }

  async inclusionProof(
    principal: AuthenticatedPrincipal,
    query: { readonly position?: number; readonly eventId?: string; readonly treeSize?: number },
  ): Promise<InclusionProof> {
    await this.authorize(principal, 'audit.read');
    const { position, eventId } = query;
    if ((position === undefined) === (eventId === undefined)) {
      throw new Invalid('give exactly one of position and eventId', [
        { pointer: '/position', message: 'give exactly one of position and eventId' },
      ]);
    }
    const checkpoint = await this.checkpoint();
    const treeSize = query.treeSize ?? checkpoint.treeSize;
    if (treeSize > checkpoint.treeSize) {
      throw new Invalid('treeSize is beyond the latest checkpoint', [
        { pointer: '/treeSize', message: `must be at most ${checkpoint.treeSize}, the latest signed tree size` },
      ]);
    }
    const leaf: StoredLeaf | null =
      position !== undefined ? await this.log.store.leafByPosition(position) : await this.log.store.leafByEventId(eventId!);
    const which = position !== undefined ? `position ${position}` : `event ${eventId}`;
    if (leaf === null || leaf.leafIndex >= checkpoint.treeSize) {
      throw new NotFound(`no sealed event at ${which}: there is none, or it is not sealed yet (sealing lags appends by up to one batch)`);
    }
    if (leaf.leafIndex >= treeSize) {
      throw new Invalid(`${which} is not in the tree of size ${treeSize}`, [
        { pointer: '/treeSize', message: `must be greater than the event's leaf index ${leaf.leafIndex}` },
      ]);
    }
    return {
      leafIndex: leaf.leafIndex,
      treeSize,
      // From the tree, which matches the signed root; the row only maps the event to its index.
      leafHash: toHex(this.log.tree.leafHash(leaf.leafIndex)),
      hashes: this.log.tree.inclusionProof(leaf.leafIndex, treeSize).map(toHex),
      position: leaf.position,
      eventId: leaf.eventId,
    };
  }

  async consistencyProof(principal: AuthenticatedPrincipal, from: number, to: number): Promise<ConsistencyProof> {
    await this.authorize(principal, 'audit.read');
    if (from > to) throw new Invalid('from must not exceed to', [{ pointer: '/from', message: `must be at most to (${to})` }]);
    const checkpoint = await this.checkpoint();
    if (to > checkpoint.treeSize) {
      throw new Invalid('to is beyond the latest checkpoint', [
        { pointer: '/to', message: `must be at most ${checkpoint.treeSize}, the latest signed tree size` },
      ]);
    }
    return { from, to, hashes: this.log.tree.consistencyProof(from, to).map(toHex) };
  }

  /** Re-reads every event and checks it against the sealed log; a failure is logged as an alert. */
  async verify(principal: AuthenticatedPrincipal): Promise<AuditVerification> {
    await this.authorize(principal, 'audit.verify');
    const result = await verifyStoredLog(this.store, this.log.store, this.log.trust);
    if (result === null) throw new NotFound('no checkpoint has been signed yet: the sealer has not run');
    if (!result.ok)
      this.logger.error({ verification: result, by: principal.id }, `audit log verification failed: ${describeAuditVerification(result)}`);
    return result;
  }

  /**
   * The export of the latest checkpoint as chunks of JSON lines. Deliberately not checked against
   * the tree: it is what an offline verifier needs to judge a log this server might distrust.
   */
  async exportChunks(principal: AuthenticatedPrincipal): Promise<{ checkpoint: SignedCheckpoint; chunks: AsyncGenerator<string> }> {
    await this.authorize(principal, 'audit.export');
    const checkpoint = await this.log.store.latestCheckpoint();
    if (checkpoint === null) throw new NotFound('no checkpoint has been signed yet: the sealer has not run');
    return { checkpoint, chunks: exportLogChunks(this.store, this.log.store, checkpoint) };
  }

  private async authorize(principal: AuthenticatedPrincipal, action: 'audit.read' | 'audit.verify' | 'audit.export'): Promise<void> {
    await this.authorizer.require({ principal, action, resource: AUDIT_TRAIL });
  }
}
