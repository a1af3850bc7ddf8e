import { performance } from 'node:perf_hooks';
import { parseSbom } from '../contexts/artifact-provenance/src/application/evidence/index.js';
import { median, round } from './bench-utils.js';
import { generateCycloneDxSbomText, generateSpdxSbomText } from './fixtures/generated-sbom.js';

/**
 * SBOM ingest on one thread, without HTTP: a generated 10,000-component CycloneDX 1.6 BOM and a
 * 10,000-package SPDX 2.3 document (bench/fixtures/generated-sbom.ts), read from their JSON text
 * into the SbomSummary. Baseline in the same run: JSON.parse of the same text. The figure is the
 * median of RUNS timed runs (see measureInRounds). `npm run bench sbom-ingest` runs it alone;
 * BENCH_SBOM_COMPONENTS and BENCH_SBOM_RUNS change the size and the number of runs.
 *
 * To be added: POST /v1/artifacts/{digest}/sboms with the same documents (generate*SbomText).
 */

const COMPONENTS = Number(process.env['BENCH_SBOM_COMPONENTS'] ?? 10_000);
const RUNS = Number(process.env['BENCH_SBOM_RUNS'] ?? 15);
const WARM_UP = 5;
const RUNS_PER_ROUND = 3;

interface Figure {
  readonly medianMs: number;
  readonly componentsPerSecond: number;
  readonly runsMs: number[];
}

function time(body: () => void): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

function figure(runsMs: number[], components: number): Figure {
  const ms = median(runsMs);
  return { medianMs: round(ms, 2), componentsPerSecond: Math.round(components / (ms / 1000)), runsMs: runsMs.map((r) => round(r, 2)) };
}

/**
 * Times `cases` in rounds: each round runs every case RUNS_PER_ROUND times in a row after one
 * untimed call, so a case is timed in its own steady state (it pays for its own garbage, not for
 * the previous case's: timing single calls in alternation charged part of one case's young
 * generation collection to the next). Rounds alternate the cases, so drift in load hits all alike.
 */
function measureInRounds(cases: readonly (() => void)[]): number[][] {
  const runsMs = cases.map((): number[] => []);
  for (let i = 0; i < WARM_UP; i++) for (const body of cases) body();
  for (let round = 0; round * RUNS_PER_ROUND < RUNS; round++) {
    cases.forEach((body, c) => {
      body();
      for (let r = 0; r < RUNS_PER_ROUND && runsMs[c]!.length < RUNS; r++) runsMs[c]!.push(time(body));
    });
  }
  return runsMs;
}

/** JSON.parse alone and JSON.parse + parseSbom of one document's text, then parseSbom of an already parsed copy. */
function measureFormat(text: string): Record<string, unknown> {
  const check = parseSbom(JSON.parse(text));
  const components = check.components.length;
  const vulnerabilities = check.vulnerabilities.length;
  if (components !== COMPONENTS) throw new Error(`expected ${COMPONENTS} components, parsed ${components}`);
  let sink = 0;
  const jsonParse = (): void => {
    sink += (JSON.parse(text) as unknown[]) === null ? 0 : 1;
  };
  const parseAndSummarise = (): void => {
    sink += parseSbom(JSON.parse(text)).components.length;
  };
  const [jsonParseMs, parseAndSummariseMs] = measureInRounds([jsonParse, parseAndSummarise]);
  // Kept only for this phase: a long-lived parsed document makes every major GC of the others slower.
  const parsed: unknown = JSON.parse(text);
  const [summariseOnlyMs] = measureInRounds([() => (sink += parseSbom(parsed).components.length)]);
  if (sink === 0) throw new Error('benchmark produced nothing');
  const baseline = figure(jsonParseMs!, components);
  const measured = figure(parseAndSummariseMs!, components);
  return {
    components,
    vulnerabilities,
    textBytes: Buffer.byteLength(text),
    jsonParse: baseline,
    jsonParseAndParseSbom: measured,
    /** Components/s of JSON.parse + parseSbom over components/s of JSON.parse alone (1 would be free). */
    ratioToJsonParse: round(measured.componentsPerSecond / baseline.componentsPerSecond, 3),
    /** parseSbom of a document parsed once before these runs: its own CPU time, without collecting a young parsed document. */
    parseSbomOfParsedDocument: figure(summariseOnlyMs!, components),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const cycloneDx = measureFormat(generateCycloneDxSbomText(COMPONENTS));
  const spdx = measureFormat(generateSpdxSbomText(COMPONENTS));
  return {
    name: 'sbom-ingest',
    node: process.version,
    components: COMPONENTS,
    runs: RUNS,
    warmUpRuns: WARM_UP,
    runsPerRound: RUNS_PER_ROUND,
    statistic: 'median of the timed runs, taken in alternating rounds of runsPerRound consecutive runs per case',
    cycloneDx16: cycloneDx,
    spdx23: spdx,
  };
}
