import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

/** Structured JSON logs; credentials never reach them. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customProps: () => ({ service: 'compliance-ledger' }),
    },
  };
}
