import { writeResult } from './bench-utils.js';

/**
 * `npm run bench`: runs every benchmark (or those named on the command line), prints its figures
 * and saves them as JSON under bench/results/. Each benchmark measures its own baseline in the
 * same run, so the ratios mean something on a noisy shared machine.
 */
const BENCHMARKS: Record<string, () => Promise<{ run(): Promise<Record<string, unknown>> }>> = {
  'event-store-append': () => import('./event-store-append.bench.js'),
  relay: () => import('./relay.bench.js'),
  'cdevents-validation': () => import('./cdevents-validation.bench.js'),
  'cdevents-ingest': () => import('./cdevents-ingest.bench.js'),
  merkle: () => import('./merkle.bench.js'),
  sealer: () => import('./sealer.bench.js'),
  'access-decisions': () => import('./access-decisions.bench.js'),
  'sbom-ingest': () => import('./sbom-ingest.bench.js'),
  memory: () => import('./memory.bench.js'),
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!BENCHMARKS[name]) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    process.exit(2);
  }
}
for (const [name, load] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n== ${name}\n`);
  const figures = await (await load()).run();
  const file = writeResult(name, figures);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nsaved ${file}\n`);
}
