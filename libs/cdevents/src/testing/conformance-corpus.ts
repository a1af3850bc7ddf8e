import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Access to the official CDEvents 0.5.1 corpus (schemas + one example per type) that the
 * project keeps beside the repository, for tests and benchmarks only. Nothing here is used by
 * the library itself, which carries its own tables.
 */

export interface ConformanceExample {
  /** File stem, e.g. `pipelinerun_started`; `custom` for the dev.cdeventsx example. */
  readonly name: string;
  readonly bytes: Buffer;
  readonly event: Record<string, unknown>;
}

/** Repository root: the nearest ancestor of `fileUrl` holding a package.json. */
export function findRepoRoot(fileUrl: string): string {
  let dir = path.dirname(fileURLToPath(fileUrl));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileUrl}`);
    dir = parent;
  }
  return dir;
}

/** The corpus folder, `../shared/cdevents/v0.5.1` relative to the repository root. */
export function corpusDir(fileUrl: string): string {
  return path.resolve(findRepoRoot(fileUrl), '../shared/cdevents/v0.5.1');
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

export function loadConformanceExamples(dir: string): ConformanceExample[] {
  const folder = path.join(dir, 'conformance');
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), file: path.join(folder, f) }));
  files.push({ name: 'custom', file: path.join(folder, 'custom', 'conformance.json') });
  return files.map(({ name, file }) => {
    const bytes = readFileSync(file);
    return { name, bytes, event: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
  });
}

export interface OfficialSchemas {
  /** Event schemas keyed by the single `context.type` each accepts. */
  readonly byType: ReadonlyMap<string, Record<string, unknown>>;
  readonly custom: Record<string, unknown>;
  /** The embedded link schemas that event schemas `$ref`. */
  readonly links: readonly Record<string, unknown>[];
}

export function loadOfficialSchemas(dir: string): OfficialSchemas {
  const folder = path.join(dir, 'schemas');
  const byType = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.json'))) {
    const schema = readJson(path.join(folder, f));
    const props = schema['properties'] as { context: { properties: { type: { enum: string[] } } } };
    const type = props.context.properties.type.enum[0];
    if (type !== undefined) byType.set(type, schema);
  }
  const linkFolder = path.join(folder, 'links');
  const links = readdirSync(linkFolder)
    .filter((f) => f.startsWith('embedded'))
    .map((f) => readJson(path.join(linkFolder, f)));
  return { byType, custom: readJson(path.join(folder, 'custom', 'schema.json')), links };
}
