import { createHash } from 'node:crypto';
import type { CallHandler, ExecutionContext, NestInterceptor, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import canonicalize from 'canonicalize';
import { from, type Observable, switchMap } from 'rxjs';
import type { Clock } from '#kernel';
import { Conflict, IllegalState, Invalid } from '#kernel';
import type { SqlDatabase } from '#event-store';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { CLOCK, SQL_DATABASE } from '../tokens.js';
import { IdempotencyKeyStore, type StoredResponse } from './idempotency-key.store.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_KEY_LENGTH = 255;
/** An sf-string (RFC 8941 §3.3.3: printable ASCII, `\"` and `\\` escaped), as the draft defines the field. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
/** Many clients send the bare value; accepted too when it is printable ASCII without spaces or quotes. */
const BARE_KEY = /^[\x21\x23-\x7e]+$/;

/**
 * Statuses that invite a retry: the answer says nothing about the request itself (a timeout, a
 * lost race, too early, too many requests, a server error), so the key is released, not kept.
 */
const isRetryable = (status: number) => status >= 500 || status === 408 || status === 409 || status === 425 || status === 429;

/** The key's value, or a 400 naming what is wrong with it. */
export function parseIdempotencyKey(raw: string | string[]): string {
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  const quoted = SF_STRING.exec(value);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE_KEY.test(value) ? value : undefined;
  if (key === undefined || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new Invalid(`the ${IDEMPOTENCY_KEY_HEADER} header is invalid`, [
      {
        pointer: '',
        message: `${IDEMPOTENCY_KEY_HEADER} must be a string of 1 to ${MAX_KEY_LENGTH} printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"`,
      },
    ]);
  }
  return key;
}

/**
 * What makes two requests the same request: method, path and query, the media type, CloudEvents
 * binary-mode attributes (ce-* headers), and the body (its bytes when the route reads them, else
 * the RFC 8785 canonical JSON of the parsed body, so that key order and spacing do not matter).
 */
export function requestFingerprint(req: AuthenticatedRequest): string {
  const hash = createHash('sha256');
  const ce = Object.keys(req.headers)
    .filter((h) => h.startsWith('ce-'))
    .sort()
    .map((h) => [h, String(req.headers[h])]);
  hash.update(JSON.stringify([req.method, req.originalUrl, req.headers['content-type'] ?? '', ce]));
  hash.update('\n');
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) hash.update(body);
  else hash.update(canonicalize(body ?? null) ?? '');
  return hash.digest('hex');
}

/** Thrown to answer with a stored response; the problem-details filter writes it out. */
export class ReplayedResponse extends Error {
  constructor(readonly response: StoredResponse) {
    super('replayed response');
  }

  writeTo(res: Response): void {
    res.status(this.response.status);
    if (this.response.contentType) res.setHeader('Content-Type', this.response.contentType);
    if (this.response.location) res.setHeader('Location', this.response.location);
    res.setHeader('Idempotent-Replayed', 'true');
    res.end(this.response.body);
  }
}

type End = Response['end'];
type Write = Response['write'];

const toBuffer = (chunk: unknown, encoding: unknown): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk)
      : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');

/**
 * The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header) on every
 * state-changing request (POST, PUT, PATCH, DELETE) of an authenticated caller:
 * - the first request with a key runs; its answer (status, body, media type, location) is kept
 *   for 24 hours, unless it is one that invites a retry (5xx, 408, 409, 425, 429);
 * - the same key with the same request (see requestFingerprint) from the same principal gets that
 *   answer again, with `Idempotent-Replayed: true`, and the command does not run again;
 * - the same key with another request is 422; a key whose first request is still running is 409.
 * Keys are scoped per principal and stored in the app's database, so a retry after a restart is
 * still answered from the store. The answer is recorded before it is sent: whoever saw it can
 * replay it. Requests without the header are untouched.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  private readonly store: IdempotencyKeyStore;

  constructor(
    @Inject(SQL_DATABASE) db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.store = new IdempotencyKeyStore(db);
  }

  async onModuleInit(): Promise<void> {
    await this.store.init();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const header = req.headers['idempotency-key'];
    const principal = req.principal?.id;
    if (header === undefined || !STATE_CHANGING.has(req.method) || principal === undefined) return next.handle();
    const key = parseIdempotencyKey(header);
    const res = http.getResponse<Response>();
    return from(this.store.claim(principal, key, requestFingerprint(req), this.clock.now())).pipe(
      switchMap((result) => {
        switch (result.kind) {
          case 'replay':
            throw new ReplayedResponse(result.response);
          case 'mismatch':
            throw new IllegalState(
              `the ${IDEMPOTENCY_KEY_HEADER} "${key}" was already used for a different request; use a new key for a new request`,
            );
          case 'in-flight':
            throw new Conflict(`a request with the ${IDEMPOTENCY_KEY_HEADER} "${key}" is still being processed; retry later`);
          case 'claimed':
            this.recordAnswer(res, (answer) =>
              isRetryable(answer.status)
                ? this.store.release(principal, key, result.claim)
                : this.store.complete(principal, key, result.claim, answer),
            );
            return next.handle();
        }
      }),
    );
  }

  /** Catches the response as it is written (by a handler, a filter or @Res()), and holds its end until `record` settles. */
  private recordAnswer(res: Response, record: (answer: StoredResponse) => Promise<void>): void {
    const chunks: Buffer[] = [];
    // Put back as they were, and called with the response as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const { write, end } = res;
    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
      if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, rest[0]));
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
    res.end = function (this: Response, ...args: unknown[]) {
      res.write = write;
      res.end = end;
      const [chunk, encoding] = args;
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding));
      const contentType = res.getHeader('content-type');
      const location = res.getHeader('location');
      const answer: StoredResponse = {
        status: res.statusCode,
        contentType: typeof contentType === 'string' ? contentType : null,
        location: typeof location === 'string' ? location : null,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const finish = () => (end as (...a: unknown[]) => Response).apply(res, args);
      // Sent either way: a failure to record only costs the replay (the key then stays claimed until its lease ends).
      record(answer).then(finish, finish);
      return res;
    } as End;
  }
}
