import { appendPointer } from '#kernel';
import {
  FieldErrors,
  isJsonObject,
  member,
  optionalArray,
  optionalInstant,
  optionalObject,
  optionalString,
  requiredObject,
  requiredString,
  type JsonObject,
} from '../json-fields.js';
import { parseResourceDescriptors, type ResourceDescriptor } from '../in-toto/resource-descriptor.js';
import { GITHUB_WORKFLOW_BUILD_TYPES, deriveSource, gitSourcesOf, type SourceFacts } from './source-facts.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** The facts of a SLSA Provenance v1 predicate that policies ask about. */
export interface SlsaProvenance {
  readonly buildType: string;
  readonly externalParameters: JsonObject;
  readonly internalParameters: JsonObject | undefined;
  readonly resolvedDependencies: readonly ResourceDescriptor[];
  readonly builder: {
    readonly id: string;
    readonly version: Readonly<Record<string, string>> | undefined;
    readonly builderDependencies: readonly ResourceDescriptor[];
  };
  readonly metadata: {
    readonly invocationId: string | undefined;
    /** UTC, `toISOString` form. */
    readonly startedOn: string | undefined;
    readonly finishedOn: string | undefined;
  };
  readonly byproducts: readonly ResourceDescriptor[];
  /** The build's source, when the build type or the dependencies tell it. */
  readonly source: SourceFacts | undefined;
  /** Every `git+…@…` dependency, for build types where `source` cannot pick one. */
  readonly gitSources: readonly SourceFacts[];
}

/**
 * Reads the `predicate` of a `https://slsa.dev/provenance/v1` statement. What SLSA Build L1
 * requires must be there (buildType, externalParameters, builder.id); the rest is optional, and
 * unknown build types still give builder, dependencies and times. Throws kernel `Invalid`.
 */
export function parseSlsaProvenance(predicate: JsonObject, base = '/predicate'): SlsaProvenance {
  const errors = new FieldErrors();
  const definitionAt = appendPointer(base, 'buildDefinition');
  const runAt = appendPointer(base, 'runDetails');
  // Under a missing parent, the children's own "is required" would only repeat the parent's error.
  const definitionValue = requiredObject(predicate, 'buildDefinition', base, errors);
  const runValue = requiredObject(predicate, 'runDetails', base, errors);
  const definition = definitionValue ?? {};
  const definitionErrors = definitionValue ? errors : new FieldErrors();
  const run = runValue ?? {};
  const runErrors = runValue ? errors : new FieldErrors();

  const buildType = requiredString(definition, 'buildType', definitionAt, definitionErrors, { uri: true, identifier: true });
  const externalParameters = requiredObject(definition, 'externalParameters', definitionAt, definitionErrors);
  const internalParameters = optionalObject(definition, 'internalParameters', definitionAt, errors);
  const resolvedDependencies = parseResourceDescriptors(
    optionalArray(definition, 'resolvedDependencies', definitionAt, errors),
    appendPointer(definitionAt, 'resolvedDependencies'),
    errors,
  );

  const builderAt = appendPointer(runAt, 'builder');
  const builderValue = requiredObject(run, 'builder', runAt, runErrors);
  const builder = builderValue ?? {};
  const builderId = requiredString(builder, 'id', builderAt, builderValue ? errors : new FieldErrors(), { uri: true, identifier: true });
  const version = readStringMap(builder, 'version', builderAt, errors);
  const builderDependencies = parseResourceDescriptors(
    optionalArray(builder, 'builderDependencies', builderAt, errors),
    appendPointer(builderAt, 'builderDependencies'),
    errors,
  );

  const metadataAt = appendPointer(runAt, 'metadata');
  const metadata = optionalObject(run, 'metadata', runAt, errors) ?? {};
  const invocationId = optionalString(metadata, 'invocationId', metadataAt, errors, { identifier: true });
  const startedOn = optionalInstant(metadata, 'startedOn', metadataAt, errors);
  const finishedOn = optionalInstant(metadata, 'finishedOn', metadataAt, errors);
  if (startedOn !== undefined && finishedOn !== undefined && finishedOn < startedOn) {
    errors.add(appendPointer(metadataAt, 'finishedOn'), 'must not be before startedOn');
  }
  const byproducts = parseResourceDescriptors(optionalArray(run, 'byproducts', runAt, errors), appendPointer(runAt, 'byproducts'), errors);

  if (buildType !== undefined && externalParameters !== undefined)
    checkBuildTypeParameters(buildType, externalParameters, definitionAt, errors);
  errors.throwIfAny('the SLSA provenance');
  return {
    buildType: buildType!,
    externalParameters: externalParameters!,
    internalParameters,
    resolvedDependencies,
    builder: { id: builderId!, version, builderDependencies },
    metadata: { invocationId, startedOn, finishedOn },
    byproducts,
    source: deriveSource(buildType!, externalParameters!, resolvedDependencies),
    gitSources: gitSourcesOf(resolvedDependencies),
  };
}

/** The GitHub Actions workflow build types require `workflow.{ref, repository, path}`: the source facts depend on them. */
function checkBuildTypeParameters(buildType: string, external: JsonObject, definitionAt: string, errors: FieldErrors): void {
  if (!GITHUB_WORKFLOW_BUILD_TYPES.includes(buildType)) return;
  const at = appendPointer(definitionAt, 'externalParameters');
  const workflow = requiredObject(external, 'workflow', at, errors);
  if (workflow === undefined) return;
  const workflowAt = appendPointer(at, 'workflow');
  const ref = requiredString(workflow, 'ref', workflowAt, errors, { nonEmpty: true, identifier: true });
  if (ref !== undefined && !ref.startsWith('refs/'))
    errors.add(appendPointer(workflowAt, 'ref'), 'must be a git ref starting with "refs/"');
  requiredString(workflow, 'repository', workflowAt, errors, { uri: true, identifier: true });
  requiredString(workflow, 'path', workflowAt, errors, { nonEmpty: true });
}

function readStringMap(obj: JsonObject, key: string, base: string, errors: FieldErrors): Record<string, string> | undefined {
  const value = member(obj, key);
  if (value === undefined) return undefined;
  const at = appendPointer(base, key);
  if (!isJsonObject(value)) return void errors.add(at, 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name] = v;
    else errors.add(appendPointer(at, name), 'must be a string');
  }
  return out;
}
