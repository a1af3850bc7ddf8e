import { Inject, Injectable } from '@nestjs/common';
import type { TelemetrySettings } from '../telemetry.settings.js';
import { TELEMETRY_SETTINGS } from '../telemetry.settings.js';
import { Counter } from 'prom-client';
import type { HttpHeaders, ParsedCdEventItem, ValidCdEvent } from '#cdevents';
import { parseCloudEventsHttp, validateCdEvent } from '#cdevents';
import type { Clock, Cursor, FieldError, IdGenerator } from '#kernel';
import { compareCursors, Conflict } from '#kernel';
import type { AuthenticatedPrincipal, Authorizer } from '#platform';
import { AUTHORIZER, CLOCK, ID_GENERATOR, Metrics, WriteSide } from '#platform';
import type { CdEventRecordedData } from '../domain/cdevent-record.decider.js';
import { contentFingerprint } from './cdevent-identity.js';
import { CdEventJournal, type RecordOutcome, type ToRecord } from './cdevent-journal.js';
import { IngestCommitQueue } from './ingest-commit-queue.js';
import { resolveIngestProject } from './ingest-project.resolver.js';
import { IngestRateLimiter } from './ingest-rate-limiter.js';
import { IngestWatermark } from './ingest-watermark.js';

export const TELEMETRY_CONTEXT = 'telemetry';

/** Appends in flight per request when judged one by one: enough to overlap commits, few enough to share the pool. */
const APPENDS_IN_FLIGHT = 8;

export interface IngestRequest {
  readonly principal: AuthenticatedPrincipal;
  readonly project: string | undefined;
  readonly headers: HttpHeaders;
  readonly body: Buffer;
}

export type ItemResult =
  | { readonly status: 202 | 200; readonly id: string; readonly source: string; readonly position: number }
  | { readonly status: 400 | 409; readonly id?: string; readonly source?: string; readonly errors: FieldError[] };

export interface IngestOutcome {
  /** A CloudEvents batch answers item by item; anything else is one event. */
  readonly batch: boolean;
  readonly results: ItemResult[];
}

type Accepted = { readonly ok: true; readonly valid: ValidCdEvent; readonly item: Extract<ParsedCdEventItem, { ok: true }> };
type Judged = Accepted | { readonly ok: false; readonly result: ItemResult };

/**
 * CDEvents ingest: who files into which project, how fast, and what is stored. Each item is
 * judged alone; a rejected item stores nothing. A request's new events are committed together
 * where the store allows it, in a commit shared with requests arriving meanwhile (see
 * IngestCommitQueue); the answer does not wait for read models (see IngestWatermark).
 */
@Injectable()
export class CdEventIngestService {
  private readonly journal: CdEventJournal;
  private readonly commits: IngestCommitQueue;
  private readonly limiter: IngestRateLimiter;
  private readonly results: Counter<'result'>;

  constructor(
    writeSide: WriteSide,
    @Inject(AUTHORIZER) private readonly authorizer: Authorizer,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TELEMETRY_SETTINGS) private readonly config: TelemetrySettings,
    private readonly watermark: IngestWatermark,
    metrics: Metrics,
  ) {
    this.journal = new CdEventJournal(writeSide);
    this.commits = new IngestCommitQueue(this.journal, APPENDS_IN_FLIGHT);
    this.limiter = new IngestRateLimiter(config.ingestRateLimit, config.ingestRateBurst);
    this.results = new Counter({
      name: 'ledger_cdevents_ingested_total',
      help: 'CDEvents received on POST /v1/cdevents, by result (recorded, duplicate, invalid, conflict)',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
  }

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const items = parseCloudEventsHttp({ headers: request.headers, body: request.body });
    const first = items[0];
    const batch = items.length !== 1 || (first?.mode === 'batch' && !(first.ok === false && first.wholeMessage));
    this.limiter.take(request.principal.id, items.length, this.clock.now().getTime());
    const { project, decision } = await resolveIngestProject(this.authorizer, request.principal, request.project);

    const judged = items.map((item) => this.judge(item));
    const ctx = { project, principal: request.principal, correlationId: this.ids.next(), decisionId: decision.decision.decisionId, batch };
    const results: (ItemResult | undefined)[] = judged.map(() => undefined);
    // The first item of each identity goes in one multi-stream append; later items of the same
    // identity (repeats within the request) are judged after it, against what it recorded.
    const leaders: number[] = [];
    const followers: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < judged.length; i++) {
      const j = judged[i]!;
      if (!j.ok) {
        results[i] = j.result;
        continue;
      }
      const key = JSON.stringify([j.valid.normalized.context.source, j.valid.normalized.context.id]);
      (seen.has(key) ? followers : leaders).push(i);
      seen.add(key);
    }
    const cursors: Cursor[] = [];
    const toRecord = (i: number) => this.toRecord(judged[i] as Accepted, ctx, i);
    // The decision that allowed the ingest is committed with the request's new events (or alone),
    // in a commit shared with the requests that arrive meanwhile.
    const outcomes = await this.commits.record(leaders.map(toRecord), decision.record);
    for (let k = 0; k < leaders.length; k++) results[leaders[k]!] = this.answer(judged[leaders[k]!] as Accepted, outcomes[k]!, cursors);
    for (const i of followers) {
      const [outcome] = await this.journal.recordAll([toRecord(i)], 1);
      results[i] = this.answer(judged[i] as Accepted, outcome!, cursors);
    }
    const answered = results as ItemResult[];
    for (const r of answered)
      this.results.inc({
        result: r.status === 202 ? 'recorded' : r.status === 200 ? 'duplicate' : r.status === 400 ? 'invalid' : 'conflict',
      });
    if (cursors.length > 0) {
      let last = cursors[0]!;
      for (const cursor of cursors) if (compareCursors(cursor, last) > 0) last = cursor;
      this.watermark.advance(last);
    }
    return { batch, results: answered };
  }

  private judge(item: ParsedCdEventItem): Judged {
    if (!item.ok) return { ok: false, result: { status: 400, errors: item.errors } };
    const valid = validateCdEvent(item.cdevent, { acceptUnknown: this.config.cdeventsAcceptUnknown });
    if (valid.ok) return { ok: true, valid, item };
    return { ok: false, result: { status: 400, ...identityOf(item.cdevent), errors: relativeToMessage(valid.errors, item.dataPointer) } };
  }

  private toRecord(
    { valid, item }: Accepted,
    ctx: { project: string; principal: AuthenticatedPrincipal; correlationId: string; decisionId: string; batch: boolean },
    index: number,
  ): ToRecord {
    const { id, source, timestamp } = valid.normalized.context;
    const cdevent: CdEventRecordedData = {
      project: ctx.project,
      source,
      id,
      timestamp,
      type: valid.type,
      rawType: valid.rawType,
      specVersion: valid.specVersion,
      validated: valid.validated,
      binding: item.mode,
      fingerprint: contentFingerprint(valid.raw),
      raw: item.rawBytes.toString('utf8'),
      // The validator hands back the raw object itself when there was nothing to normalise.
      normalized: (valid.normalized as unknown) === valid.raw ? null : JSON.stringify(valid.normalized),
      normalizationNotes: valid.notes.join('\n'),
    };
    const metadata = {
      actor: ctx.principal.id,
      correlationId: ctx.correlationId,
      occurredAt: new Date(timestamp).toISOString(),
      context: TELEMETRY_CONTEXT,
      project: ctx.project,
      // The access decision (AccessAllowed, committed with this event) that let it in.
      decisionId: ctx.decisionId,
      ...(ctx.batch ? { batchIndex: index } : {}),
    };
    return { cdevent, metadata };
  }

  private answer({ valid, item }: Accepted, outcome: RecordOutcome, cursors: Cursor[]): ItemResult {
    const { id, source } = valid.normalized.context;
    if (outcome instanceof Conflict) {
      const [error] = relativeToMessage([{ pointer: '/context/id', message: outcome.message }], item.dataPointer);
      return { status: 409, id, source, errors: [error!] };
    }
    if (outcome.cursor) cursors.push(outcome.cursor);
    return { status: outcome.outcome === 'recorded' ? 202 : 200, id, source, position: outcome.position };
  }
}

function identityOf(cdevent: Record<string, unknown>): { id?: string; source?: string } {
  const context = cdevent['context'];
  if (typeof context !== 'object' || context === null) return {};
  const { id, source } = context as Record<string, unknown>;
  return { ...(typeof id === 'string' ? { id } : {}), ...(typeof source === 'string' ? { source } : {}) };
}

/**
 * Validation pointers are relative to the CDEvent; the caller gets them relative to what it
 * sent: the body, or for a batch the entry. Inside data_base64 no pointer of the message can
 * reach, so the inner pointer moves into the message.
 */
function relativeToMessage(errors: FieldError[], dataPointer: '' | '/data' | '/data_base64'): FieldError[] {
  if (dataPointer === '/data_base64')
    return errors.map((e) => ({ pointer: dataPointer, message: `${e.pointer || '(the CDEvent)'}: ${e.message}` }));
  return dataPointer === '' ? errors : errors.map((e) => ({ pointer: `${dataPointer}${e.pointer}`, message: e.message }));
}
