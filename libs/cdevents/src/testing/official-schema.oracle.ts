import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OfficialSchemas } from './conformance-corpus.js';

export type OracleValidate = (event: unknown) => boolean;

// ajv and ajv-formats are CommonJS; their classes sit on `default` under Node's ESM interop.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * The official schemas compiled with ajv the way upstream CI does (draft 2020-12, formats,
 * strict:false). Used only to cross-check the project's own validator in tests and benchmarks.
 */
export function compileOfficialSchemas(schemas: OfficialSchemas): (type: string) => OracleValidate {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const link of schemas.links) ajv.addSchema(link);
  const compiled = new Map<string, OracleValidate>();
  for (const [type, schema] of schemas.byType) compiled.set(type, ajv.compile(schema));
  const custom = ajv.compile(schemas.custom);
  return (type) => compiled.get(type) ?? custom;
}
