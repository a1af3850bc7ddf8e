import { FieldErrors, isJsonObject, member, optionalObject, optionalString, type JsonObject } from '../json-fields.js';
import { parseDigestSet, type DigestSet } from './digest-set.js';

/**
 * An in-toto ResourceDescriptor (attestation spec v1): a pointer to an artifact by name, URI
 * and/or digest. `content` (inline bytes) is not kept: evidence summaries hold references.
 */
export interface ResourceDescriptor {
  readonly name: string | undefined;
  readonly uri: string | undefined;
  readonly digest: DigestSet | undefined;
  readonly downloadLocation: string | undefined;
  readonly mediaType: string | undefined;
  readonly annotations: JsonObject | undefined;
}

/** Reads a ResourceDescriptor; it must give at least one of `uri`, `digest` or `content`, as the spec requires. */
export function parseResourceDescriptor(value: unknown, pointer: string, errors: FieldErrors): ResourceDescriptor | undefined {
  if (!isJsonObject(value)) return void errors.add(pointer, 'must be a resource descriptor object {name?, uri?, digest?, …}');
  const digestValue = member(value, 'digest');
  const descriptor: ResourceDescriptor = {
    name: optionalString(value, 'name', pointer, errors, { identifier: true }),
    uri: optionalString(value, 'uri', pointer, errors, { nonEmpty: true, identifier: true }),
    digest: digestValue === undefined ? undefined : parseDigestSet(digestValue, `${pointer}/digest`, errors, { nonEmpty: false }),
    downloadLocation: optionalString(value, 'downloadLocation', pointer, errors),
    mediaType: optionalString(value, 'mediaType', pointer, errors),
    annotations: optionalObject(value, 'annotations', pointer, errors),
  };
  if (member(value, 'uri') === undefined && digestValue === undefined && member(value, 'content') === undefined) {
    errors.add(pointer, 'must give at least one of uri, digest or content');
  }
  return descriptor;
}

/** Descriptors of an optional array member; bad items are field errors and left out. */
export function parseResourceDescriptors(list: readonly unknown[] | undefined, pointer: string, errors: FieldErrors): ResourceDescriptor[] {
  const out: ResourceDescriptor[] = [];
  (list ?? []).forEach((item, i) => {
    const descriptor = parseResourceDescriptor(item, `${pointer}/${i}`, errors);
    if (descriptor !== undefined) out.push(descriptor);
  });
  return out;
}
