import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { validateCdEvent } from '#cdevents';
import { corpusDir, loadConformanceExamples, loadOfficialSchemas } from '../libs/cdevents/src/testing/conformance-corpus.js';
import { compileOfficialSchemas } from '../libs/cdevents/src/testing/official-schema.oracle.js';

/**
 * Single-thread CDEvents validation rate over the 45 official conformance examples, with
 * JSON.parse of the same bytes and ajv (official schemas, compiled) as baselines in the same run.
 */

const VALIDATIONS_PER_RUN = 200_000;
const RUNS = 5;

interface Rate {
  readonly eventsPerSecond: number;
  readonly nsPerEvent: number;
  readonly runsEventsPerSecond: number[];
}

/** Median of RUNS timed runs of `n` calls (after one untimed warm-up run). */
function measure(n: number, body: (i: number) => boolean): Rate {
  let sink = 0;
  const once = (): number => {
    const start = performance.now();
    for (let i = 0; i < n; i++) if (body(i)) sink++;
    return performance.now() - start;
  };
  once();
  const rates = Array.from({ length: RUNS }, () => Math.round(n / (once() / 1000))).sort((a, b) => a - b);
  if (sink === 0) throw new Error('benchmark body never succeeded');
  const median = rates[Math.floor(RUNS / 2)] ?? 0;
  return { eventsPerSecond: median, nsPerEvent: Math.round(1e9 / median), runsEventsPerSecond: rates };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = corpusDir(import.meta.url);
  if (!existsSync(dir)) return { name: 'cdevents-validation', skipped: `CDEvents corpus not found at ../shared/cdevents/v0.5.1` };
  const examples = loadConformanceExamples(dir).filter((e) => e.name !== 'custom');
  const events = examples.map((e) => e.event);
  const texts = examples.map((e) => e.bytes.toString('utf8'));
  const count = events.length;
  const oracleFor = compileOfficialSchemas(loadOfficialSchemas(dir));
  const ajvValidators = events.map((e) => oracleFor((e['context'] as { type: string }).type));

  if (!events.every((e) => validateCdEvent(e).ok)) throw new Error('conformance examples must validate');

  const ownValidator = measure(VALIDATIONS_PER_RUN, (i) => validateCdEvent(events[i % count]).ok);
  const jsonParse = measure(VALIDATIONS_PER_RUN, (i) => JSON.parse(texts[i % count] ?? '') !== null);
  const parseAndValidate = measure(VALIDATIONS_PER_RUN, (i) => validateCdEvent(JSON.parse(texts[i % count] ?? '')).ok);
  const ajvOfficialSchemas = measure(VALIDATIONS_PER_RUN, (i) => ajvValidators[i % count]?.(events[i % count]) === true);

  return {
    name: 'cdevents-validation',
    node: process.version,
    examples: count,
    validationsPerRun: VALIDATIONS_PER_RUN,
    runs: RUNS,
    statistic: 'median',
    ownValidator,
    jsonParse,
    parseAndValidate,
    ajvOfficialSchemas,
    ownValidatorVsJsonParse: Number((ownValidator.eventsPerSecond / jsonParse.eventsPerSecond).toFixed(2)),
    ownValidatorVsAjv: Number((ownValidator.eventsPerSecond / ajvOfficialSchemas.eventsPerSecond).toFixed(2)),
    targetEventsPerSecond: 50_000,
    meetsTarget: ownValidator.eventsPerSecond >= 50_000,
  };
}
