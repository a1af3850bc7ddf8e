import type { IntegrationEvent } from '#contracts';
import type { BusMessage } from './message-bus.js';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes as `ce_*` headers, the
 * data as the JSON value, `content-type` as datacontenttype, the subject (stream id) as the key.
 * Written here rather than taken from the `cloudevents` package to skip its per-event validation
 * and copying on the relay's hot path; a unit test round-trips messages through that package.
 */

export const CE_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/** Extension attribute carrying the project, so consumers can filter without parsing the data. */
const PROJECT_HEADER = 'ce_project';

/** A message that is not a readable integration event: it goes to the dead-letter topic at once. */
export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}

export function encodeIntegrationEvent(event: IntegrationEvent): BusMessage {
  const headers: Record<string, string> = {
    ce_specversion: CE_SPEC_VERSION,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_subject: event.subject,
    ce_time: event.time,
    'content-type': JSON_CONTENT_TYPE,
  };
  if (event.project) headers[PROJECT_HEADER] = event.project;
  return { topic: event.topic, key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

export function decodeIntegrationEvent(message: BusMessage): IntegrationEvent {
  const h = message.headers;
  const missing = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'].filter((name) => !h[name]);
  if (missing.length > 0) throw new MalformedMessage(`not a CloudEvent in binary mode: missing header ${missing.join(', ')}`);
  if (h['ce_specversion'] !== CE_SPEC_VERSION) throw new MalformedMessage(`unsupported CloudEvents specversion ${h['ce_specversion']}`);
  const contentType = h['content-type'];
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new MalformedMessage(`unsupported content-type ${contentType}`);
  }
  const data = parseData(message.value);
  const subject = h['ce_subject'] ?? message.key ?? '';
  const project = h[PROJECT_HEADER];
  return {
    id: h['ce_id']!,
    type: h['ce_type']!,
    source: h['ce_source']!,
    subject,
    time: h['ce_time'] ?? '',
    topic: message.topic,
    ...(project ? { project } : {}),
    data,
  };
}

function parseData(value: Buffer | null): Record<string, unknown> {
  if (value === null || value.length === 0) throw new MalformedMessage('the message has no data');
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new MalformedMessage(`the data is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new MalformedMessage('the data is not a JSON object');
  return data as Record<string, unknown>;
}
