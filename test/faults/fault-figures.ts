import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Prints a case's measured figures and saves them as test/faults/results/<case>.json (kept out of git). */
export function recordFigures(caseName: string, figures: Record<string, unknown>): void {
  const result = { case: caseName, finishedAt: new Date().toISOString(), ...figures };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${caseName}.json`, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`fault figures ${caseName}: ${JSON.stringify(figures)}\n`);
}

export const seconds = (ms: number) => Math.round(ms / 10) / 100;
