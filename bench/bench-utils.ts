import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** Shared helpers for the benchmarks in bench/: timing, order statistics, and result files. */

/** Milliseconds `work` took (wall clock, high resolution). */
export async function timeAsync(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Wall-clock milliseconds since `start` (a `performance.now()` reading). */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Nearest-rank percentile (p in 0..100) of unsorted values: always one of the measured values,
 * never an interpolation, so a p99 of few samples is honest about being the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is not within 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Rounds to `digits` decimals, for figures meant to be read by people. */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `times` repetitions in order and returns their results. */
export async function repeat<T>(times: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await run(i));
  return results;
}

/** The directory holding package.json above this module, whether it runs from source or from dist/. */
export function repoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the benchmark');
    dir = parent;
  }
  return dir;
}

/**
 * Writes bench/results/<name>.json with when and on what the figures were measured, and returns
 * its path. Results are kept per machine run, not compared across machines without that context.
 */
export function writeResult(name: string, figures: Record<string, unknown>): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new RangeError(`invalid result name "${name}"`);
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const cpuList = cpus();
  const record = {
    name,
    date: new Date().toISOString(),
    node: process.version,
    machine: { platform: platform(), arch: arch(), cpus: cpuList.length, cpuModel: cpuList[0]?.model ?? 'unknown' },
    figures,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
