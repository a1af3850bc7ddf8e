import { MAX_IDENTIFIER_BYTES } from '#kernel';
import { parseCloudEventsHttp } from '../bindings/cloudevents-http.parser.js';
import { validateCdEvent } from './cdevent.validator.js';

/** What readers index (ids, sources, types, environment and artifact ids) is bounded; dates are in range. */
const deployed = () => ({
  context: {
    specversion: '0.5.1',
    id: 'd-1',
    source: '/cd/payments',
    type: 'dev.cdevents.service.deployed.0.3.0',
    timestamp: '2026-03-01T10:00:00Z',
  },
  subject: {
    id: 'checkout',
    source: '/cd/payments',
    content: { environment: { id: 'production', source: '/envs' }, artifactId: 'pkg:oci/checkout@sha256:abc' },
  },
});
const errorsOf = (event: unknown) => {
  const result = validateCdEvent(event);
  return result.ok ? [] : result.errors;
};
const long = 'a'.repeat(MAX_IDENTIFIER_BYTES + 1);
const atLimit = 'a'.repeat(MAX_IDENTIFIER_BYTES);

describe('CDEvent identifiers are bounded', () => {
  it.each([
    ['/context/id', (e: ReturnType<typeof deployed>) => (e.context.id = long)],
    ['/context/source', (e: ReturnType<typeof deployed>) => (e.context.source = `/${long}`)],
    ['/subject/id', (e: ReturnType<typeof deployed>) => (e.subject.id = long)],
    ['/subject/source', (e: ReturnType<typeof deployed>) => (e.subject.source = `/${long}`)],
    ['/subject/content/environment/id', (e: ReturnType<typeof deployed>) => (e.subject.content.environment.id = long)],
    ['/subject/content/artifactId', (e: ReturnType<typeof deployed>) => (e.subject.content.artifactId = long)],
  ])('refuses %s over 1,024 bytes, naming it', (pointer, breakIt) => {
    const event = deployed();
    breakIt(event);
    expect(errorsOf(event)).toEqual([{ pointer, message: 'must be at most 1024 bytes long in UTF-8 (1024 ASCII characters)' }]);
  });

  it('counts bytes, not characters', () => {
    const event = deployed();
    event.subject.id = '€'.repeat(342);
    expect(errorsOf(event)).toEqual([{ pointer: '/subject/id', message: expect.stringContaining('1024 bytes') }]);
    event.subject.id = '€'.repeat(341);
    expect(errorsOf(event)).toEqual([]);
  });

  it('accepts identifiers of exactly 1,024 bytes', () => {
    const event = deployed();
    event.context.id = atLimit;
    event.subject.id = atLimit;
    event.subject.content.environment.id = atLimit;
    expect(errorsOf(event)).toEqual([]);
  });

  it('bounds free-form sources of testing events and custom type strings too', () => {
    const suite = {
      context: {
        specversion: '0.5.1',
        id: 't-1',
        source: 'ci',
        type: 'dev.cdevents.testsuiterun.finished.0.3.0',
        timestamp: '2026-03-01T10:00:00Z',
      },
      subject: { id: 'suite-1', source: long, content: { environment: { id: 'ci' }, outcome: 'success' } },
    };
    expect(errorsOf(suite)).toEqual([{ pointer: '/subject/source', message: expect.stringContaining('1024 bytes') }]);
    const custom = {
      context: {
        specversion: '0.5.1',
        id: 'c-1',
        source: '/x',
        type: `dev.cdeventsx.${long}-thing.happened.0.1.0`,
        timestamp: '2026-03-01T10:00:00Z',
      },
      subject: { id: 'x', content: {} },
    };
    expect(errorsOf(custom)).toEqual([{ pointer: '/context/type', message: expect.stringContaining('1024 bytes') }]);
  });

  it('refuses a 100,000-character context.id with acceptUnknown as well', () => {
    const event = deployed();
    event.context.type = 'dev.cdevents.service.deployed.0.9.0';
    event.context.id = 'x'.repeat(100_000);
    expect(validateCdEvent(event, { acceptUnknown: true })).toEqual({
      ok: false,
      errors: [expect.objectContaining({ pointer: '/context/id' }), expect.objectContaining({ pointer: '/context/type' })],
    });
  });
});

describe('CDEvent timestamps are in 1970–9999', () => {
  it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59-01:00'])('refuses %s, naming the field', (timestamp) => {
    const event = deployed();
    event.context.timestamp = timestamp;
    expect(errorsOf(event)).toEqual([
      { pointer: '/context/timestamp', message: 'must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)' },
    ]);
  });

  it('refuses a leap second, which JavaScript Date cannot read', () => {
    const event = deployed();
    event.context.timestamp = '2016-12-31T23:59:60Z';
    expect(errorsOf(event)).toEqual([{ pointer: '/context/timestamp', message: expect.stringMatching(/leap second/) }]);
  });

  it.each(['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'])('accepts the boundary %s', (timestamp) => {
    const event = deployed();
    event.context.timestamp = timestamp;
    expect(errorsOf(event)).toEqual([]);
  });
});

describe('NUL is refused at parsing, in every binding', () => {
  const json = { 'content-type': 'application/json' };
  it('names the string that holds it, in the body or in data', () => {
    const event = deployed() as unknown as { subject: { content: Record<string, unknown> } };
    event.subject.content['pipelineName'] = 'a\u0000b';
    const text = JSON.stringify(event);
    expect(text).toContain('\\u0000');
    expect(parseCloudEventsHttp({ headers: json, body: text })[0]).toEqual({
      ok: false,
      mode: 'bare',
      errors: [{ pointer: '/subject/content/pipelineName', message: expect.stringMatching(/NUL/) }],
    });
    const envelope = { specversion: '1.0', id: 'e', source: '/s', type: 't', data: event };
    expect(
      parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(envelope) })[0],
    ).toMatchObject({
      ok: false,
      errors: [{ pointer: '/data/subject/content/pipelineName' }],
    });
    const base64 = { specversion: '1.0', id: 'e', source: '/s', type: 't', data_base64: Buffer.from(text).toString('base64') };
    expect(
      parseCloudEventsHttp({ headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(base64) })[0],
    ).toMatchObject({
      ok: false,
      errors: [{ pointer: '/data_base64', message: expect.stringMatching(/^\/subject\/content\/pipelineName: must not contain NUL/) }],
    });
  });

  it('in member names and in percent-decoded binary-mode headers', () => {
    const event = deployed() as unknown as { subject: { content: Record<string, unknown> } };
    event.subject.content['x\u0000'] = 1;
    expect(parseCloudEventsHttp({ headers: json, body: JSON.stringify(event) })[0]).toMatchObject({
      ok: false,
      errors: [{ pointer: '/subject/content/x\u0000', message: expect.stringMatching(/^member name/) }],
    });
    const binary = { ...json, 'ce-specversion': '1.0', 'ce-id': 'a%00b', 'ce-source': '/s', 'ce-type': 't' };
    expect(parseCloudEventsHttp({ headers: binary, body: JSON.stringify(deployed()) })[0]).toEqual({
      ok: false,
      mode: 'binary',
      errors: [{ pointer: '', message: expect.stringMatching(/^the ce-id header must not contain NUL/) }],
    });
  });
});
