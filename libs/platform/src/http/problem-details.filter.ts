import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, Forbidden, Invalid } from '#kernel';
import { isStoreUnavailable } from '#event-store';
import type { ProblemDetails } from './problem-details.js';
import { problem } from './problem-details.js';
import { ReplayedResponse } from './idempotency.interceptor.js';

const STATUS_BY_CODE: Record<DomainError['code'], number> = {
  Invalid: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  IllegalState: 422,
};

/** What a client told 503 (the store away) should wait before it retries. */
const RETRY_AFTER_SECONDS = 5;

/** The one place where errors become RFC 9457 application/problem+json responses. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    if (exception instanceof ReplayedResponse) {
      exception.writeTo(response);
      return;
    }
    const request = ctx.getRequest<Request>();
    const body = this.toProblem(exception);
    body.instance = request.originalUrl?.split('?')[0];
    if (body.status === 503) {
      // Expected while the database is away: one line each, no stack; /health says the rest.
      this.logger.warn({ msg: 'request failed: the store is unavailable', path: body.instance, error: String(exception) });
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (body.status >= 500) this.logger.error({ msg: 'request failed', err: exception, path: body.instance });
    if (body.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code];
      if (exception instanceof Invalid) return problem(status, exception.message, { errors: [...exception.errors] });
      if (exception instanceof Forbidden) return problem(status, exception.message, { rule: exception.rule });
      return problem(status, exception.message);
    }
    if (isOutOfDiskSpace(exception)) {
      return problem(503, 'the data store has no space left on its disk: nothing was recorded; retry once space is freed');
    }
    if (exception instanceof HttpException && exception.cause instanceof SyntaxError) {
      // Nest wraps the body parser's JSON error in a BadRequestException.
      return problem(400, 'request body is not valid JSON', { errors: [{ pointer: '', message: exception.cause.message }] });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const message = typeof res === 'string' ? res : ((res as { message?: string | string[] }).message ?? exception.message);
      return problem(status, Array.isArray(message) ? message.join('; ') : message);
    }
    // Errors raised by the body parser before any handler runs.
    const parserError = exception as { type?: string; status?: number; message?: string };
    if (parserError.type === 'entity.too.large') return problem(413, 'request body exceeds the configured size limit');
    if (parserError.type === 'entity.parse.failed') {
      return problem(400, 'request body is not valid JSON', {
        errors: [{ pointer: '', message: parserError.message ?? 'malformed JSON' }],
      });
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return problem(parserError.status, parserError.message ?? 'bad request');
    }
    if (isStoreUnavailable(exception))
      return problem(503, 'the event store is unreachable right now; retry later (retrying the same request is safe)');
    return problem(500, 'an unexpected error occurred; it has been logged');
  }
}

/** PostgreSQL's disk_full (PGlite and servers alike) or a file write that found the disk full: not the caller's fault, and it passes. */
function isOutOfDiskSpace(exception: unknown): boolean {
  const code = (exception as { code?: unknown } | null)?.code;
  return code === '53100' || code === 'ENOSPC';
}
