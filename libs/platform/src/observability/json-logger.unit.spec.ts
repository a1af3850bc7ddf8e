import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonLogger } from './json-logger.js';

function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger({ logLevel: level }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes Nest messages as JSON lines with their context', () => {
    const { logger, lines } = capture();
    logger.log('started', 'Bootstrap');
    logger.warn({ relay: 'r1', msg: 'lagging' }, 'messaging');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, service: 'compliance-ledger', context: 'Bootstrap', msg: 'started' }),
      expect.objectContaining({ level: 40, context: 'messaging', relay: 'r1', msg: 'lagging' }),
    ]);
  });

  it('keeps the stack Nest passes with an error', () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'boom', context: 'ExceptionsHandler', stack: 'Error: boom\n    at x' });
  });

  it('drops messages below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.log('quiet');
    logger.debug('quieter');
    logger.error('loud');
    expect(lines.map((l) => l['msg'])).toEqual(['loud']);
  });

  it('logs each request without its bearer token', async () => {
    const { logger, lines } = capture();
    const middleware = logger.requestLogger();
    const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = request({ port, path: '/v1/projects', headers: { authorization: 'Bearer very-secret-token' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => server.close(resolve));
    const entry = lines.find((l) => l['msg'] === 'request completed');
    expect(entry).toMatchObject({ req: { url: '/v1/projects', headers: { authorization: '[redacted]' } }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain('very-secret-token');
  });
});
