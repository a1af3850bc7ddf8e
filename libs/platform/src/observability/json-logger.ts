import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';

/** Credentials never reach the logs. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];
const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * Structured JSON logs (pino) for Nest's own messages and one line per HTTP request.
 * Written here rather than taken from nestjs-pino, whose Nest 12 releases require Node 22.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream) {
    const options = { level: config.logLevel, base: { service: 'compliance-ledger' }, redact: { paths: REDACT, censor: '[redacted]' } };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  /** Express middleware logging each request on completion (health and metrics probes excluded). */
  requestLogger(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return pinoHttp({ logger: this.pino, autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') } });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes `(message, ...params, context)`; for errors the params may hold a stack. */
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const params = [...rest];
    const context = typeof params.at(-1) === 'string' && params.length > 0 ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields['context'] = context;
    const stack = params.find((p): p is string => typeof p === 'string');
    if (stack) fields['stack'] = stack;
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
