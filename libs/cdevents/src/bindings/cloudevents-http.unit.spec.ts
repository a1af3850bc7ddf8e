import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from '../testing/conformance-corpus.js';
import { validateCdEvent } from '../validation/cdevent.validator.js';
import type { CdEvent } from '../events/cdevent.types.js';
import { toCloudEventBatch, toCloudEventBinary, toCloudEventStructured } from './cloudevents-http.encoder.js';
import { parseCloudEventsHttp, type ParsedCdEventItem } from './cloudevents-http.parser.js';

const dir = corpusDir(import.meta.url);
const describeCorpus = existsSync(dir) ? describe : describe.skip;

const okItem = (item: ParsedCdEventItem | undefined): Extract<ParsedCdEventItem, { ok: true }> => {
  if (!item?.ok) throw new Error(`expected ok item, got ${JSON.stringify(item)}`);
  return item;
};

describeCorpus('CloudEvents HTTP bindings', () => {
  // A skipped describe still runs its body: without the corpus, a stand-in keeps it from throwing.
  const bytes = existsSync(dir)
    ? readFileSync(path.join(dir, 'conformance', 'service_deployed.json'))
    : Buffer.from('{"context":{"type":""}}');
  const text = bytes.toString('utf8');
  // What a span of an enclosing document can hold: the JSON text without the file's final newline.
  const trimmed = Buffer.from(text.trimEnd(), 'utf8');
  const cdevent = JSON.parse(text) as CdEvent;
  const ceHeaders = {
    'ce-specversion': '1.0',
    'ce-id': 'header-id-ignored',
    'ce-source': '/header/source',
    'ce-type': cdevent.context.type,
  };

  it('reads a bare CDEvent (application/json, no ce- headers) keeping its exact bytes', () => {
    const items = parseCloudEventsHttp({ headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: bytes });
    expect(items).toHaveLength(1);
    const item = okItem(items[0]);
    expect(item.mode).toBe('bare');
    expect(item.cdevent).toEqual(cdevent);
    expect(item.rawBytes.equals(bytes)).toBe(true);
    expect(item.dataPointer).toBe('');
    expect(item.cloudEvent).toBeUndefined();
    expect(validateCdEvent(item.cdevent).ok).toBe(true);
  });

  it('reads binary mode; identity stays the CDEvent body’s, headers are only reported', () => {
    const items = parseCloudEventsHttp({
      headers: { 'content-type': 'application/json', ...ceHeaders, 'ce-traceparent': ['00-abc', 'x'] },
      body: text,
    });
    const item = okItem(items[0]);
    expect(item.mode).toBe('binary');
    expect(item.cdevent).toEqual(cdevent);
    expect((item.cdevent['context'] as { id: string }).id).toBe(cdevent.context.id);
    expect(item.cloudEvent).toMatchObject({ id: 'header-id-ignored', source: '/header/source', traceparent: '00-abc' });
    expect(item.rawBytes.toString('utf8')).toBe(text);
  });

  it('refuses binary mode without the required CloudEvents headers', () => {
    const items = parseCloudEventsHttp({
      headers: { 'content-type': 'application/json', 'ce-specversion': '0.3', 'ce-type': 'x' },
      body: text,
    });
    expect(items).toEqual([
      {
        ok: false,
        mode: 'binary',
        errors: [
          { pointer: '', message: 'ce-specversion header must be 1.0 (got 0.3)' },
          { pointer: '', message: 'CloudEvents binary mode requires the ce-id header' },
          { pointer: '', message: 'CloudEvents binary mode requires the ce-source header' },
        ],
      },
    ]);
  });

  it('reads structured mode, handing on the data member’s exact text', () => {
    const envelope = `{"specversion":"1.0","id":"ce-1","source":"/ce","type":"${cdevent.context.type}","datacontenttype":"application/json",\n "data" : ${text} }`;
    const item = okItem(
      parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents+json' }, body: Buffer.from(envelope) })[0],
    );
    expect(item.mode).toBe('structured');
    expect(item.cdevent).toEqual(cdevent);
    expect(item.rawBytes.equals(trimmed)).toBe(true);
    expect(item.dataPointer).toBe('/data');
    expect(item.cloudEvent).toEqual({
      specversion: '1.0',
      id: 'ce-1',
      source: '/ce',
      type: cdevent.context.type,
      datacontenttype: 'application/json',
    });
  });

  it('reads structured mode with data_base64', () => {
    const envelope = { specversion: '1.0', id: 'ce-1', source: '/ce', type: 't', data_base64: bytes.toString('base64') };
    const item = okItem(
      parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(envelope) })[0],
    );
    expect(item.cdevent).toEqual(cdevent);
    expect(item.rawBytes.equals(bytes)).toBe(true);
    expect(item.dataPointer).toBe('/data_base64');
  });

  it('reports structured envelope problems with pointers into the envelope', () => {
    const items = parseCloudEventsHttp({
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '0.3', source: '/ce', type: 't', datacontenttype: 'text/plain', data: 'hello' }),
    });
    expect(items).toEqual([
      {
        ok: false,
        mode: 'structured',
        errors: [
          { pointer: '/specversion', message: 'must be "1.0"' },
          { pointer: '/id', message: 'is required (a non-empty string)' },
          { pointer: '/datacontenttype', message: expect.stringContaining('JSON media type') },
          { pointer: '/data', message: 'must be a JSON object, the CDEvent (got string)' },
        ],
      },
    ]);
  });

  it('reads a batch item by item, in order, each with its own bytes', () => {
    const second = { ...cdevent, context: { ...cdevent.context, id: 'second' } };
    const body = `[ {"specversion":"1.0","id":"a","source":"/s","type":"t","data":${text}},\n {"specversion":"1.0","id":"b","source":"/s","type":"t","data":{"context":{"id":"x\\"]}"}}}, 42, ${JSON.stringify({ specversion: '1.0', id: 'c', source: '/s', type: 't', data: second })} ]`;
    const items = parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body });
    expect(items.map((i) => i.ok)).toEqual([true, true, false, true]);
    expect(okItem(items[0]).rawBytes.equals(trimmed)).toBe(true);
    expect(okItem(items[1]).rawBytes.toString()).toBe('{"context":{"id":"x\\"]}"}}');
    expect(items[2]).toEqual({
      ok: false,
      mode: 'batch',
      errors: [{ pointer: '', message: 'a CloudEvent must be a JSON object (got number)' }],
    });
    expect(okItem(items[3]).cdevent).toEqual(second);
    expect(JSON.parse(okItem(items[3]).rawBytes.toString())).toEqual(second);
  });

  it('returns no items for an empty batch and an error for a batch that is not an array', () => {
    expect(parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body: '[]' })).toEqual([]);
    expect(parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body: '{}' })[0]).toMatchObject({
      ok: false,
      wholeMessage: true,
      errors: [{ pointer: '', message: expect.stringContaining('JSON array') }],
    });
  });

  it.each([
    ['application/json', 'bare'],
    ['application/cloudevents+json', 'structured'],
    ['application/cloudevents-batch+json', 'batch'],
  ])('reports malformed JSON (%s) at pointer ""', (contentType, mode) => {
    const items = parseCloudEventsHttp({ headers: { 'content-type': contentType }, body: '{"context": ' });
    expect(items).toEqual([
      { ok: false, mode, wholeMessage: true, errors: [{ pointer: '', message: expect.stringMatching(/^malformed JSON: /) }] },
    ]);
  });

  it('refuses bodies that are not UTF-8 JSON objects, and other content types', () => {
    const parse = (headers: Record<string, string>, body: Buffer | string): ParsedCdEventItem | undefined =>
      parseCloudEventsHttp({ headers, body })[0];
    expect(parse({ 'content-type': 'application/json' }, Buffer.from([0xff, 0xfe, 0x00]))).toMatchObject({
      errors: [{ message: 'body is not valid UTF-8' }],
    });
    expect(parse({ 'content-type': 'application/json' }, '')).toMatchObject({ errors: [{ message: expect.stringContaining('empty') }] });
    expect(parse({ 'content-type': 'application/json' }, '[1]')).toMatchObject({
      errors: [{ message: expect.stringContaining('application/cloudevents-batch+json') }],
    });
    expect(parse({ 'content-type': 'text/plain' }, text)).toMatchObject({
      errors: [{ message: expect.stringContaining('unsupported content type text/plain') }],
    });
    expect(parse({ 'content-type': 'application/json; charset=latin1' }, text)).toMatchObject({
      errors: [{ message: expect.stringContaining('charset') }],
    });
  });

  it('refuses strings that are not well-formed Unicode (lone surrogate escapes), naming each', () => {
    const json = { 'content-type': 'application/json' };
    // JSON text can spell a lone surrogate; JSON.stringify of such a string would too.
    const lone = text
      .replace('"id": "mySubject123"', '"id": "my\\ud800Subject"')
      .replace('"environment": {', '"environment": {"x\\udc00": 1, ');
    expect(lone).not.toEqual(text);
    const [bare] = parseCloudEventsHttp({ headers: json, body: lone });
    expect(bare).toEqual({
      ok: false,
      mode: 'bare',
      errors: [
        { pointer: '/subject/id', message: expect.stringMatching(/not well-formed Unicode/) },
        { pointer: expect.stringMatching(/^\/subject\/content\/environment\/x/), message: expect.stringMatching(/member name/) },
      ],
    });
    const batch = parseCloudEventsHttp({
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: `[${toCloudEventStructured(cdevent).body}, {"specversion":"1.0","id":"b","source":"/s","type":"t","data":${lone}}]`,
    });
    expect(batch[0]!.ok).toBe(true);
    expect(batch[1]).toMatchObject({
      ok: false,
      errors: [{ pointer: '/data/subject/id' }, { pointer: expect.stringMatching(/^\/data\/subject\/content/) }],
    });
    // A well-formed pair (an emoji) is fine.
    expect(parseCloudEventsHttp({ headers: json, body: text.replace('"id": "mySubject123"', '"id": "my\\ud83d\\ude00"') })[0]!.ok).toBe(
      true,
    );
  });

  it('tolerates a byte-order mark and a missing content type', () => {
    const item = okItem(parseCloudEventsHttp({ headers: {}, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) })[0]);
    expect(item.mode).toBe('bare');
    expect(item.rawBytes.equals(bytes)).toBe(true);
  });

  describe('encoder', () => {
    it('maps the CDEvent context to binary-mode headers and round-trips', () => {
      const encoded = toCloudEventBinary(cdevent);
      expect(encoded.headers).toEqual({
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': cdevent.context.id,
        'ce-source': cdevent.context.source,
        'ce-type': cdevent.context.type,
        'ce-time': cdevent.context.timestamp,
      });
      const item = okItem(parseCloudEventsHttp(encoded)[0]);
      expect(item.mode).toBe('binary');
      expect(item.cdevent).toEqual(cdevent);
    });

    it('percent-encodes header values that need it and the parser decodes them', () => {
      const odd = { ...cdevent, context: { ...cdevent.context, source: '/team a/"x"/100%/é' } };
      const encoded = toCloudEventBinary(odd);
      expect(encoded.headers['ce-source']).toBe('/team%20a/%22x%22/100%25/%C3%A9');
      expect(okItem(parseCloudEventsHttp(encoded)[0]).cloudEvent).toMatchObject({ source: '/team a/"x"/100%/é' });
    });

    it('encodes structured and batch modes that parse back', () => {
      expect(okItem(parseCloudEventsHttp(toCloudEventStructured(cdevent))[0]).cdevent).toEqual(cdevent);
      const batch = parseCloudEventsHttp(toCloudEventBatch([cdevent, cdevent]));
      expect(batch.map((i) => i.ok && i.cdevent)).toEqual([cdevent, cdevent]);
    });

    it('refuses to encode an event without id, source, type or timestamp', () => {
      const broken = { ...cdevent, context: { ...cdevent.context, id: '' } };
      expect(() => toCloudEventBinary(broken)).toThrow(/cannot encode/);
    });
  });
});
