import { Invalid, type FieldError } from '#kernel';
import type { CdEvent } from '../events/cdevent.types.js';

export interface EncodedHttpMessage {
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface CeAttributes {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
}

/** CloudEvent attributes from the CDEvent context, as the CDEvents CloudEvents binding maps them. */
function attributesOf(cdevent: CdEvent): CeAttributes {
  const ctx = (cdevent as unknown as { context?: Partial<Record<string, unknown>> }).context ?? {};
  const errors: FieldError[] = [];
  const read = (key: string): string => {
    const v = ctx[key];
    if (typeof v === 'string' && v !== '') return v;
    errors.push({ pointer: `/context/${key}`, message: 'is required to map the CDEvent to a CloudEvent' });
    return '';
  };
  const attrs = {
    specversion: '1.0',
    id: read('id'),
    source: read('source'),
    type: read('type'),
    time: read('timestamp'),
    datacontenttype: 'application/json',
  } as const;
  if (errors.length > 0) throw new Invalid('cannot encode CDEvent as CloudEvent', errors);
  return attrs;
}

/** HTTP binding header encoding: space, `"`, `%` and anything outside printable ASCII as %XX of UTF-8. */
function encodeHeaderValue(value: string): string {
  return value.replace(/[^\x21\x23\x24\x26-\x7e]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Binary mode: CloudEvent attributes in `ce-*` headers, the CDEvent as the JSON body. */
export function toCloudEventBinary(cdevent: CdEvent): EncodedHttpMessage {
  const a = attributesOf(cdevent);
  return {
    headers: {
      'content-type': a.datacontenttype,
      'ce-specversion': a.specversion,
      'ce-id': encodeHeaderValue(a.id),
      'ce-source': encodeHeaderValue(a.source),
      'ce-type': encodeHeaderValue(a.type),
      'ce-time': encodeHeaderValue(a.time),
    },
    body: JSON.stringify(cdevent),
  };
}

const envelopeOf = (cdevent: CdEvent): Record<string, unknown> => ({ ...attributesOf(cdevent), data: cdevent });

/** Structured mode: one `application/cloudevents+json` envelope whose `data` is the CDEvent. */
export function toCloudEventStructured(cdevent: CdEvent): EncodedHttpMessage {
  return { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(envelopeOf(cdevent)) };
}

/** Batch mode: an `application/cloudevents-batch+json` array of structured envelopes. */
export function toCloudEventBatch(cdevents: readonly CdEvent[]): EncodedHttpMessage {
  return {
    headers: { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' },
    body: JSON.stringify(cdevents.map(envelopeOf)),
  };
}
