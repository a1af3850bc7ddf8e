import type { FieldError } from '#kernel';
import { unstorableJson } from '#kernel';
import { isJsonObject, jsonTypeOf } from '../validation/json-pointer.js';
import { arrayElementSpans, memberSpan, type Span } from './json-spans.js';

export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HttpMessage {
  readonly headers: HttpHeaders;
  readonly body: Buffer | Uint8Array | string;
}

export type CloudEventsMode = 'binary' | 'structured' | 'batch' | 'bare';

/** CloudEvent attributes as received (informational: identity and time come from the CDEvent). */
export type CloudEventAttributes = Readonly<Record<string, unknown>>;

export type ParsedCdEventItem =
  | {
      readonly ok: true;
      readonly mode: CloudEventsMode;
      /** The CDEvent, parsed but not yet validated (see validateCdEvent). */
      readonly cdevent: Record<string, unknown>;
      /** The CDEvent's bytes exactly as sent (for structured mode: the `data` member's text). */
      readonly rawBytes: Buffer;
      /**
       * Where the CDEvent sits in its message or batch entry: '' (binary, bare), '/data', or
       * '/data_base64' (whose content is not JSON text of the message, so pointers stop there).
       */
      readonly dataPointer: '' | '/data' | '/data_base64';
      /** The CloudEvent attributes around it; absent for a bare CDEvent. */
      readonly cloudEvent?: CloudEventAttributes;
    }
  | {
      readonly ok: false;
      readonly mode?: CloudEventsMode;
      readonly errors: FieldError[];
      /** The message as a whole could not be read (encoding, JSON, not a batch array, media type), so no event was. */
      readonly wholeMessage?: true;
    };

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const REQUIRED_ATTRIBUTES = ['id', 'source', 'type'] as const;
// ignoreBOM: keep a BOM visible so decodeBody can drop it from the bytes handed on, too.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type FailedItem = Extract<ParsedCdEventItem, { ok: false }>;

const failure = (message: string, mode?: CloudEventsMode, pointer = ''): FailedItem => ({
  ok: false,
  ...(mode ? { mode } : {}),
  errors: [{ pointer, message }],
});

const messageFailure = (message: string, mode?: CloudEventsMode): FailedItem => ({ ...failure(message, mode), wholeMessage: true });

function lowerCaseHeaders(headers: HttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = typeof value === 'string' ? value : value?.[0];
    if (first !== undefined) out.set(name.toLowerCase(), first);
  }
  return out;
}

/** CloudEvents HTTP binding: header values are percent-encoded UTF-8. */
function decodeHeaderValue(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const isJsonMediaType = (mediaType: string): boolean => mediaType === 'application/json' || mediaType.endsWith('+json');

function parseContentType(value: string | undefined): { mediaType: string; charset: string | undefined } {
  if (value === undefined) return { mediaType: '', charset: undefined };
  const [type = '', ...params] = value.split(';');
  let charset: string | undefined;
  for (const p of params) {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() === 'charset' && v !== undefined) charset = v.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return { mediaType: type.trim().toLowerCase(), charset };
}

type Decoded = { ok: true; text: string; bytes: Buffer } | { ok: false; item: ParsedCdEventItem };

function decodeBody(body: HttpMessage['body'], mode: CloudEventsMode): Decoded {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      return { ok: false, item: messageFailure('body is not valid UTF-8', mode) };
    }
  }
  const hadBom = text.charCodeAt(0) === 0xfeff;
  if (hadBom) text = text.slice(1);
  if (text.trim() === '') return { ok: false, item: messageFailure('body is empty; expected JSON', mode) };
  // Reuse the caller's buffer when it already holds exactly the JSON text.
  const bytes = !hadBom && Buffer.isBuffer(body) ? body : Buffer.from(text, 'utf8');
  return { ok: true, text, bytes };
}

function parseJson(text: string, mode: CloudEventsMode): { ok: true; value: unknown } | { ok: false; item: ParsedCdEventItem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, item: messageFailure(`malformed JSON: ${(err as Error).message}`, mode) };
  }
}

function binaryAttributes(headers: Map<string, string>): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [name, value] of headers) if (name.startsWith('ce-')) attrs[name.slice(3)] = decodeHeaderValue(value);
  return attrs;
}

function parseBinaryOrBare(message: HttpMessage, mode: 'binary' | 'bare', attrs: Record<string, string> | undefined): ParsedCdEventItem {
  const errors: FieldError[] = [];
  if (attrs !== undefined) {
    if (attrs['specversion'] !== '1.0') {
      errors.push({ pointer: '', message: `ce-specversion header must be 1.0 (got ${attrs['specversion'] ?? 'none'})` });
    }
    for (const a of REQUIRED_ATTRIBUTES) {
      if (!attrs[a]) errors.push({ pointer: '', message: `CloudEvents binary mode requires the ce-${a} header` });
    }
    // Percent-decoding can give any character, NUL included; no pointer reaches a header.
    for (const e of unstorableJson(attrs)) errors.push({ pointer: '', message: `the ce-${e.pointer.slice(1)} header ${e.message}` });
  }
  if (errors.length > 0) return { ok: false, mode, errors };
  const decoded = decodeBody(message.body, mode);
  if (!decoded.ok) return decoded.item;
  const parsed = parseJson(decoded.text, mode);
  if (!parsed.ok) return parsed.item;
  if (!isJsonObject(parsed.value)) {
    const hint = Array.isArray(parsed.value) ? '; send batches as application/cloudevents-batch+json' : '';
    return failure(`body must be a JSON object, the CDEvent (got ${jsonTypeOf(parsed.value)})${hint}`, mode);
  }
  const unicode = unstorableJson(parsed.value);
  if (unicode.length > 0) return { ok: false, mode, errors: unicode };
  return { ok: true, mode, cdevent: parsed.value, rawBytes: decoded.bytes, dataPointer: '', ...(attrs ? { cloudEvent: attrs } : {}) };
}

/** Unpacks one structured-mode envelope; pointers are relative to the envelope. */
function parseEnvelope(envelope: unknown, text: string, span: Span | undefined, mode: 'structured' | 'batch'): ParsedCdEventItem {
  if (!isJsonObject(envelope)) return failure(`a CloudEvent must be a JSON object (got ${jsonTypeOf(envelope)})`, mode);
  const errors: FieldError[] = [];
  if (envelope['specversion'] !== '1.0') errors.push({ pointer: '/specversion', message: 'must be "1.0"' });
  for (const a of REQUIRED_ATTRIBUTES) {
    const v = envelope[a];
    if (typeof v !== 'string' || v === '') errors.push({ pointer: `/${a}`, message: 'is required (a non-empty string)' });
  }
  const contentType = envelope['datacontenttype'];
  if (contentType !== undefined && (typeof contentType !== 'string' || !isJsonMediaType(parseContentType(contentType).mediaType))) {
    errors.push({ pointer: '/datacontenttype', message: 'must be a JSON media type (application/json) for a CDEvent' });
  }
  const { data, data_base64: dataBase64, ...attributes } = envelope;
  let cdevent: unknown;
  let rawBytes: Buffer | undefined;
  if (data !== undefined && dataBase64 !== undefined) {
    errors.push({ pointer: '/data_base64', message: 'must not be present together with data' });
  } else if (data !== undefined) {
    if (!isJsonObject(data)) errors.push({ pointer: '/data', message: `must be a JSON object, the CDEvent (got ${jsonTypeOf(data)})` });
    const dataSpan = span ? memberSpan(text, span, 'data') : undefined;
    cdevent = data;
    rawBytes = Buffer.from(dataSpan ? text.slice(dataSpan.start, dataSpan.end) : JSON.stringify(data), 'utf8');
  } else if (dataBase64 !== undefined) {
    const decoded =
      typeof dataBase64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64) ? Buffer.from(dataBase64, 'base64') : undefined;
    let parsed: unknown;
    try {
      parsed = decoded ? (JSON.parse(utf8.decode(decoded).replace(/^\uFEFF/, '')) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isJsonObject(parsed)) errors.push({ pointer: '/data_base64', message: 'must be base64 of a JSON object, the CDEvent' });
    cdevent = parsed;
    rawBytes = decoded;
  } else {
    errors.push({ pointer: '/data', message: 'is required: the CDEvent' });
  }
  // The envelope's own attributes too: they are kept with the event.
  errors.push(...unstorableJson(attributes));
  if (data !== undefined) errors.push(...unstorableJson(cdevent, '/data'));
  // No pointer of the message reaches inside base64: the inner pointer goes into the message.
  else
    errors.push(
      ...unstorableJson(cdevent).map((e) => ({ pointer: '/data_base64', message: `${e.pointer || '(the CDEvent)'}: ${e.message}` })),
    );
  if (errors.length > 0 || !isJsonObject(cdevent) || rawBytes === undefined) return { ok: false, mode, errors };
  return { ok: true, mode, cdevent, rawBytes, dataPointer: data !== undefined ? '/data' : '/data_base64', cloudEvent: attributes };
}

/**
 * Reads CDEvents from an HTTP request per the CloudEvents HTTP binding: binary mode (`ce-*`
 * headers, JSON body), structured (`application/cloudevents+json`), batch
 * (`application/cloudevents-batch+json`), or a bare CDEvent (`application/json`). Returns one
 * item per event, in order; a body that cannot be read yields a single failed item.
 */
export function parseCloudEventsHttp(message: HttpMessage): ParsedCdEventItem[] {
  const headers = lowerCaseHeaders(message.headers);
  const { mediaType, charset } = parseContentType(headers.get('content-type'));
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return [messageFailure(`unsupported charset ${charset}; send UTF-8`)];

  if (mediaType === STRUCTURED || mediaType === BATCH) {
    const mode = mediaType === STRUCTURED ? 'structured' : 'batch';
    const decoded = decodeBody(message.body, mode);
    if (!decoded.ok) return [decoded.item];
    const parsed = parseJson(decoded.text, mode);
    if (!parsed.ok) return [parsed.item];
    if (mode === 'structured') return [parseEnvelope(parsed.value, decoded.text, { start: 0, end: decoded.text.length }, mode)];
    if (!Array.isArray(parsed.value))
      return [messageFailure(`a batch must be a JSON array of CloudEvents (got ${jsonTypeOf(parsed.value)})`, mode)];
    const spans = arrayElementSpans(decoded.text);
    return parsed.value.map((envelope, i) => parseEnvelope(envelope, decoded.text, spans[i], mode));
  }

  const ceAttributes = [...headers.keys()].some((h) => h.startsWith('ce-')) ? binaryAttributes(headers) : undefined;
  if (mediaType !== '' && !isJsonMediaType(mediaType)) {
    return [
      messageFailure(
        `unsupported content type ${mediaType}; expected application/json, ${STRUCTURED} or ${BATCH}`,
        ceAttributes ? 'binary' : 'bare',
      ),
    ];
  }
  return [parseBinaryOrBare(message, ceAttributes ? 'binary' : 'bare', ceAttributes)];
}
