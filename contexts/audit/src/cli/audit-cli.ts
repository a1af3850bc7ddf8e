import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
// The platform's settings file only, not #platform, so that the command starts without loading Nest.
import { ConfigError, loadConfig } from '../../../../libs/platform/src/config/app-config.js';
import { describe } from '#event-store';
import { openInfrastructure } from '#event-store/adapters';
import { describeAuditVerification } from '../log/audit-verification.js';
import { DEFAULT_AUDIT_LOG_ORIGIN } from '../audit.settings.js';
import { exportLogChunks, verifyExportLines } from '../log/log-export.js';
import { SealStore } from '../log/seal-store.js';
import { formatVerifierKey, noteVerifierKey, exportPublicKeyBase64, exportSigningKeySeed, generateSigningKeyPair } from '#transparency-log';

export interface CliIo {
  readonly stdout: Pick<Writable, 'write'> & Partial<Pick<Writable, 'once'>>;
  readonly stderr: Pick<Writable, 'write'>;
  readonly stdin?: Readable;
  readonly env: NodeJS.ProcessEnv;
}

/** Exit codes: the log verified; it did not (tampered, or signed by another key); the command could not run. */
export const EXIT_OK = 0;
export const EXIT_TAMPERED = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage: compliance-ledger <command>

  verify --export FILE [--public-key KEY] [--origin ORIGIN] [--json]
      Checks an audit-log export (FILE, or - for stdin) offline: the checkpoint's signature, then
      every event against the signed root. KEY is the log's public key (base64, as served by
      GET /v1/audit/log/checkpoint) or its C2SP verifier key; without it only the key named in
      the file is used, which proves integrity but not origin. Prints one line; exit 0 ok,
      1 tampered or untrusted, 2 unusable input.

  export [--out FILE]
      Writes the export of the latest checkpoint (to FILE, default stdout), reading the store
      configured as for the server (DATABASE_URL, EVENT_STORE, KURRENTDB_URL, DATA_DIR). An
      embedded store under DATA_DIR must not be open in a running server at the same time.
      The server serves the same export at GET /v1/audit/log/export.

  keygen
      Prints a new AUDIT_SIGNING_KEY (keep it secret) and its public and verifier keys.
`;

/** The `compliance-ledger` command; returns the exit code. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'keygen':
        return keygenCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return EXIT_OK;
      default:
        io.stderr.write(command === undefined ? USAGE : `unknown command "${command}"\n${USAGE}`);
        return EXIT_USAGE;
    }
  } catch (error) {
    const message = error instanceof UsageError || error instanceof ConfigError ? error.message : describe(error);
    io.stderr.write(`compliance-ledger ${command ?? ''}: ${message}\n`);
    return EXIT_USAGE;
  }
}

class UsageError extends Error {}

function options<T extends Record<string, { type: 'string' | 'boolean' }>>(args: readonly string[], spec: T) {
  try {
    return parseArgs({ args: [...args], options: spec, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = options(args, {
    export: { type: 'string' },
    'public-key': { type: 'string' },
    origin: { type: 'string' },
    json: { type: 'boolean' },
  });
  const file = values.export;
  if (file === undefined) throw new UsageError('--export FILE is required');
  const input = file === '-' ? io.stdin : createReadStream(file);
  if (input === undefined) throw new UsageError('no standard input to read');
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') resolve();
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  await opened.catch((error: unknown) => {
    throw new UsageError(`cannot read ${file}: ${describe(error)}`);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const result = await verifyExportLines(lines, { publicKey: values['public-key'], origin: values.origin });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const unpinned = result.ok && result.keySource === 'export' ? ' (key taken from the export itself: pass --public-key to pin it)' : '';
    io.stdout.write(`${describeAuditVerification(result)}${unpinned}\n`);
  }
  return result.ok ? EXIT_OK : EXIT_TAMPERED;
}

async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = options(args, { out: { type: 'string' } });
  const config = loadConfig(io.env);
  const infrastructure = await openInfrastructure(config);
  try {
    const sealStore = new SealStore(infrastructure.db);
    await sealStore.migrate();
    const checkpoint = await sealStore.latestCheckpoint();
    if (checkpoint === null) throw new UsageError('nothing to export: no checkpoint has been signed yet');
    const out = values.out === undefined ? io.stdout : createWriteStream(values.out, { mode: 0o600 });
    for await (const chunk of exportLogChunks(infrastructure.store, sealStore, checkpoint)) {
      if (!out.write(chunk) && out.once) await once(out as Writable, 'drain');
    }
    if (values.out !== undefined) {
      const file = out as Writable;
      file.end();
      await once(file, 'finish');
      io.stderr.write(`exported ${checkpoint.treeSize} events (checkpoint at tree size ${checkpoint.treeSize}) to ${values.out}\n`);
    }
    return EXIT_OK;
  } finally {
    await infrastructure.close();
  }
}

function keygenCommand(args: readonly string[], io: CliIo): number {
  options(args, {});
  const origin = io.env['AUDIT_LOG_ORIGIN']?.trim() || DEFAULT_AUDIT_LOG_ORIGIN;
  const { privateKey } = generateSigningKeyPair();
  io.stdout.write(
    `AUDIT_SIGNING_KEY=${exportSigningKeySeed(privateKey)}\n` +
      `# public key: ${exportPublicKeyBase64(privateKey)}\n` +
      `# verifier key (origin ${origin}): ${formatVerifierKey(noteVerifierKey(origin, privateKey))}\n`,
  );
  return EXIT_OK;
}
