#!/usr/bin/env node
import { runAuditCli } from '../../../contexts/audit/src/cli/audit-cli.js';

// Imports the transparency code directly (not #platform) so that the command starts without loading Nest.
process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
