import { CloudEvent, Kafka } from 'cloudevents';
import type { KafkaMessage } from 'cloudevents';
import type { IntegrationEvent } from '#contracts';
import { decodeIntegrationEvent, encodeIntegrationEvent, MalformedMessage } from './cloud-event-binding.js';
import type { BusMessage } from './message-bus.js';

const event: IntegrationEvent = {
  id: '0b8f6a3e-6f52-4a57-9b0e-0d1c2a3b4c5d',
  type: 'dev.compliance-ledger.access-control.role-granted.v1',
  source: '/compliance-ledger/access-control',
  subject: 'rolegrant-g1',
  time: '2026-03-01T10:00:00.000Z',
  topic: 'access-control.events.v1',
  project: 'payments',
  data: { grantId: 'g1', principalId: 'bob', role: 'developer', project: 'payments', grantedBy: 'admin', expiresAt: null },
};

describe('CloudEvents Kafka binding, binary mode', () => {
  it('puts the attributes in ce_* headers, the data in the JSON value and the subject in the key', () => {
    const message = encodeIntegrationEvent(event);
    expect(message.topic).toBe('access-control.events.v1');
    expect(message.key).toBe('rolegrant-g1');
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: event.source,
      ce_type: event.type,
      ce_subject: 'rolegrant-g1',
      ce_time: event.time,
      ce_project: 'payments',
      'content-type': 'application/json',
    });
    expect(JSON.parse(message.value!.toString('utf8'))).toEqual(event.data);
  });

  it('round-trips an event through encode and decode', () => {
    expect(decodeIntegrationEvent(encodeIntegrationEvent(event))).toEqual(event);
    const { project: _project, ...withoutProject } = event;
    expect(decodeIntegrationEvent(encodeIntegrationEvent(withoutProject))).toEqual(withoutProject);
  });

  it('is read by the cloudevents SDK as the same CloudEvent', () => {
    const message = encodeIntegrationEvent(event);
    const kafkaMessage: KafkaMessage<Buffer | null> = {
      key: message.key!,
      value: message.value,
      body: message.value,
      headers: { ...message.headers },
    };
    const parsed = Kafka.toEvent(kafkaMessage) as CloudEvent<Record<string, unknown>>;
    expect(parsed).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject,
      time: event.time,
      datacontenttype: 'application/json',
      project: 'payments',
      partitionkey: 'rolegrant-g1',
    });
    expect(parsed.data).toEqual(event.data);
  });

  it('reads what the cloudevents SDK writes in binary mode', () => {
    const sdkEvent = new CloudEvent({
      id: 'e-42',
      source: '/elsewhere',
      type: 'com.example.thing-happened.v1',
      subject: 'thing-7',
      time: '2026-03-02T11:00:00.000Z',
      datacontenttype: 'application/json',
      data: { n: 7 },
      partitionkey: 'thing-7',
      project: 'payments',
    });
    const written = Kafka.binary(sdkEvent);
    const headers = Object.fromEntries(
      Object.entries(written.headers)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const message: BusMessage = {
      topic: 'other.events.v1',
      key: String(written.key),
      value: Buffer.from(JSON.stringify(written.value)),
      headers,
    };
    expect(decodeIntegrationEvent(message)).toEqual({
      id: 'e-42',
      source: '/elsewhere',
      type: 'com.example.thing-happened.v1',
      subject: 'thing-7',
      time: '2026-03-02T11:00:00.000Z',
      topic: 'other.events.v1',
      project: 'payments',
      data: { n: 7 },
    });
  });

  it.each([
    ['no CloudEvents headers', { headers: {}, value: Buffer.from('{}') }, /missing header ce_specversion, ce_id, ce_source, ce_type/],
    ['another spec version', { headers: { ...encodeIntegrationEvent(event).headers, ce_specversion: '0.3' } }, /specversion 0.3/],
    ['a value that is not JSON', { value: Buffer.from('not json') }, /not JSON/],
    ['a JSON array', { value: Buffer.from('[1,2]') }, /not a JSON object/],
    ['no value', { value: null }, /no data/],
    [
      'an XML content type',
      { headers: { ...encodeIntegrationEvent(event).headers, 'content-type': 'application/xml' } },
      /content-type application\/xml/,
    ],
  ])('refuses a message with %s as malformed', (_name, change, reason) => {
    const message = { ...encodeIntegrationEvent(event), ...change } as BusMessage;
    expect(() => decodeIntegrationEvent(message)).toThrow(MalformedMessage);
    expect(() => decodeIntegrationEvent(message)).toThrow(reason);
  });
});
