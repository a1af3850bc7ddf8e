import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp, loadConfig } from '#platform';
import { standaloneApp } from '../../apps/standalone/src/standalone.app.js';

export const ADMIN_TOKEN = 'e2e-bootstrap-admin-token-0123456789';

/** The standalone app on a fresh embedded store in a temporary DATA_DIR. */
export async function startStandalone(env: Record<string, string> = {}): Promise<{
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  stop: (keepData?: boolean) => Promise<void>;
}> {
  const dataDir = env['DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig({
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    BODY_LIMIT_BYTES: '65536',
    ...env,
    DATA_DIR: dataDir,
  });
  const app = await createApp(standaloneApp, config);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    dataDir,
    async stop(keepData = false) {
      await app.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
