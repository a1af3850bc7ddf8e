// Node ESM loader hooks that run the TypeScript sources directly (compiled by SWC on load), so an
// integration test can start an app's entry point as a child process without a build.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';

const root = new URL('../../', import.meta.url);
// Every `#name` (and `#name/adapters`) of package.json's imports, read from the sources: the package
// map's default condition points at dist/, which a fresh checkout has not built.
const LIB = /^#(kernel|contracts|cdevents|transparency-log|event-store|messaging|platform|testing)(\/adapters)?$/;

export async function resolve(specifier, context, next) {
  const lib = LIB.exec(specifier);
  if (lib) return { url: new URL(`libs/${lib[1]}/src/${lib[2] ? 'adapters' : 'index'}.ts`, root).href, shortCircuit: true };
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = await transform(source, {
    filename: fileURLToPath(url),
    sourceMaps: 'inline',
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
