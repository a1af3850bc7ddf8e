import { toCloudEventBatch, toCloudEventBinary, toCloudEventStructured, type CdEvent } from '#cdevents';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';
import type { Running } from './telemetry-setup.js';
import { allEvents, conformanceExamples, corpusPresent, recordedCdEvents, setUp, withId } from './telemetry-setup.js';

const describeCorpus = corpusPresent ? describe : describe.skip;
const deployed = conformanceExamples().find((e) => e.name === 'service_deployed');

type Encoded = { headers: Record<string, string>; body: string };
const post = (s: Running, token: string, message: Encoded, query = '') =>
  s.http.post(`/v1/cdevents${query}`).set(bearer(token)).set(message.headers).send(message.body);
/** A CDEvent to break on purpose. */
type Loose = { context: Record<string, unknown>; subject: { content: Record<string, unknown> }; customData?: unknown };
const bare = (event: unknown): Encoded => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });

describeCorpus('POST /v1/cdevents: ingest over every binding (standalone app, embedded store)', () => {
  let s: Running;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    s = await startStandalone();
    tokens = await setUp(s, ['payments', 'shop'], {
      'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] },
      'ci-both': {
        kind: 'pipeline',
        roles: [
          ['pipeline', 'payments'],
          ['pipeline', 'shop'],
        ],
      },
      'qa-alice': { kind: 'user', roles: [['qa', 'payments']] },
    });
  });
  afterAll(async () => s.stop());

  it('accepts every conformance example in every binding, storing the bytes sent, the 0.5.1 form and the project', async () => {
    const examples = conformanceExamples();
    expect(examples).toHaveLength(46);
    const encoders: [string, (e: CdEvent) => Encoded][] = [
      ['bare', (e) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(e, null, 2) })],
      ['binary', toCloudEventBinary],
      ['structured', toCloudEventStructured],
      ['batch', (e) => toCloudEventBatch([e])],
    ];
    const positions: number[] = [];
    for (const [binding, encode] of encoders) {
      for (const example of examples) {
        const event = withId(example.event, `${binding}-${example.name}`);
        const res = await post(s, tokens['ci-payments']!, encode(event));
        const body = binding === 'batch' ? res.body.results[0] : res.body;
        expect({ example: example.name, binding, status: binding === 'batch' ? body.status : res.status }).toEqual({
          example: example.name,
          binding,
          status: 202,
        });
        expect(body).toMatchObject({ id: event.context.id, source: event.context.source });
        positions.push(body.position);
      }
    }
    expect(new Set(positions).size).toBe(4 * 46);
    const stored = await recordedCdEvents(s);
    expect(stored).toHaveLength(4 * 46);
    const one = stored.find((e) => e.data['id'] === 'bare-service_deployed')!;
    expect(one.data).toMatchObject({
      project: 'payments',
      source: '/event/source/123',
      type: 'dev.cdevents.service.deployed.0.3.0',
      specVersion: '0.5.1',
      validated: true,
      binding: 'bare',
      timestamp: '2023-03-20T14:27:05.315384Z',
    });
    expect(one.data['raw']).toBe(JSON.stringify(withId(deployed!.event, 'bare-service_deployed'), null, 2));
    // Already CDEvents 0.5.1: the raw bytes are the normalised form.
    expect(one.data['normalized']).toBeNull();
    expect(one.metadata).toMatchObject({
      actor: 'ci-payments',
      project: 'payments',
      context: 'telemetry',
      occurredAt: '2023-03-20T14:27:05.315Z',
    });
    expect(one.streamId).toMatch(/^cdevent-[0-9a-f]{64}$/);
  });

  it('normalises a CDEvents 0.4.x event to 0.5.1, keeping the bytes as sent', async () => {
    const v04 = {
      context: {
        version: '0.4.1',
        id: 'v04-1',
        source: '/cd/legacy',
        type: 'dev.cdevents.service.deployed.0.2.0',
        timestamp: '2026-03-01T10:00:00Z',
      },
      subject: {
        id: 'checkout',
        type: 'service',
        content: { environment: { id: 'production' }, artifactId: 'pkg:oci/checkout@sha256:abc' },
      },
    };
    await post(s, tokens['ci-payments']!, bare(v04)).expect(202);
    const [stored] = (await recordedCdEvents(s)).filter((e) => e.data['id'] === 'v04-1');
    expect(stored!.data).toMatchObject({
      specVersion: '0.4.1',
      rawType: 'dev.cdevents.service.deployed.0.2.0',
      type: 'dev.cdevents.service.deployed.0.3.0',
    });
    expect(JSON.parse(stored!.data['raw'] as string)).toEqual(v04);
    const normalized = JSON.parse(stored!.data['normalized'] as string);
    expect(normalized.context).toMatchObject({ specversion: '0.5.1', type: 'dev.cdevents.service.deployed.0.3.0' });
    expect(normalized.subject.type).toBeUndefined();
  });

  it('answers a retry with 200 and the first answer, stored once, even re-serialised', async () => {
    const event = withId(deployed!.event, 'retry-1');
    const first = await post(s, tokens['ci-payments']!, bare(event)).expect(202);
    const again = await post(s, tokens['ci-payments']!, bare(event)).expect(200);
    expect(again.body).toEqual(first.body);
    const reordered = { subject: event.subject, context: event.context };
    const viaBinary = await post(s, tokens['ci-payments']!, {
      ...toCloudEventBinary(event),
      body: JSON.stringify(reordered, null, 4),
    }).expect(200);
    expect(viaBinary.body).toEqual(first.body);
    expect((await recordedCdEvents(s)).filter((e) => e.data['id'] === 'retry-1')).toHaveLength(1);
  });

  it('records a burst of concurrent duplicates once', async () => {
    const event = withId(deployed!.event, 'burst-1');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(s, tokens['ci-payments']!, bare(event))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.body.position)).size).toBe(1);
    expect((await recordedCdEvents(s)).filter((e) => e.data['id'] === 'burst-1')).toHaveLength(1);
  });

  it('refuses other content under a used identity with 409, storing nothing', async () => {
    const event = withId(deployed!.event, 'conflict-1');
    await post(s, tokens['ci-payments']!, bare(event)).expect(202);
    const changed = structuredClone(event);
    (changed.subject.content as { artifactId: string }).artifactId = 'pkg:oci/other@sha256%3Aabc';
    const before = (await recordedCdEvents(s)).length;
    const res = await post(s, tokens['ci-payments']!, bare(changed)).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/already recorded/);
    // The same content filed by a pipeline of another project is not a retry either.
    await post(s, tokens['ci-both']!, bare(event), '?project=shop').expect(409);
    expect(await recordedCdEvents(s)).toHaveLength(before);
  });

  it('answers 400 listing every violation with pointers into the body, storing nothing', async () => {
    const event = withId(deployed!.event, 'invalid-1') as unknown as Loose;
    event['context']['timestamp'] = '2026-01-01 10:00';
    delete event['subject']['content']['artifactId'];
    event['subject']['content']['colour'] = 'blue';
    const before = (await recordedCdEvents(s)).length;
    const res = await post(s, tokens['ci-payments']!, bare(event)).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/context/timestamp',
      '/subject/content/colour',
      '/subject/content/artifactId',
    ]);
    const structured = await post(s, tokens['ci-payments']!, toCloudEventStructured(event as unknown as CdEvent)).expect(400);
    expect(structured.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/data/context/timestamp',
      '/data/subject/content/colour',
      '/data/subject/content/artifactId',
    ]);
    const malformed = await post(s, tokens['ci-payments']!, {
      headers: { 'content-type': 'application/json' },
      body: '{"context": ',
    }).expect(400);
    expect(malformed.body.errors[0].pointer).toBe('');
    expect(await recordedCdEvents(s)).toHaveLength(before);
  });

  it('answers 400 for a lone surrogate escape, which no store or hash could keep, and stays up', async () => {
    const body = JSON.stringify(withId(deployed!.event, 'lone-1')).replace('"lone-1"', '"lone-\\ud800"');
    const res = await post(s, tokens['ci-payments']!, { headers: { 'content-type': 'application/json' }, body }).expect(400);
    expect(res.body.errors).toEqual([{ pointer: '/context/id', message: expect.stringMatching(/not well-formed Unicode/) }]);
    await s.http.get('/health').expect(200);
  });

  it('refuses an unknown version naming the supported ones (unless configured otherwise)', async () => {
    const event = withId(deployed!.event, 'future-1');
    event.context.type = 'dev.cdevents.service.deployed.0.9.0';
    const res = await post(s, tokens['ci-payments']!, bare(event)).expect(400);
    expect(res.body.errors).toEqual([
      { pointer: '/context/type', message: expect.stringMatching(/supported: 0\.3\.0 \(CDEvents 0\.5\.1\), 0\.2\.0 \(CDEvents 0\.4\.x\)/) },
    ]);
  });

  it('answers a batch entry by entry, in order, storing only the accepted ones', async () => {
    const ok = withId(deployed!.event, 'batch-ok');
    const retry = withId(deployed!.event, 'retry-1');
    const invalid = withId(deployed!.event, 'batch-invalid') as unknown as Loose;
    delete invalid['subject']['content']['environment'];
    const conflicting = withId(deployed!.event, 'conflict-1');
    (conflicting.subject.content as { artifactId: string }).artifactId = 'pkg:oci/yet-another@sha256%3Adef';
    const batch = JSON.parse(toCloudEventBatch([ok, invalid as unknown as CdEvent, retry, conflicting]).body) as unknown[];
    batch.push({ specversion: '1.0', id: 'x', source: '/s', type: 't' });
    batch.push((JSON.parse(toCloudEventBatch([ok]).body) as unknown[])[0]);
    const before = (await recordedCdEvents(s)).length;
    const res = await post(s, tokens['ci-payments']!, {
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(batch),
    }).expect(200);
    const results = res.body.results as { status: number; id?: string; position?: number; errors?: { pointer: string }[] }[];
    expect(results.map((r) => r.status)).toEqual([202, 400, 200, 409, 400, 200]);
    expect(results[0]).toMatchObject({ id: 'batch-ok', source: '/event/source/123', position: expect.any(Number) });
    expect(results[1]!.errors!.map((e) => e.pointer)).toEqual(['/data/subject/content/environment']);
    expect(results[3]!.errors![0]!.pointer).toBe('/data/context/id');
    expect(results[4]!.errors![0]!.pointer).toBe('/data');
    expect(results[5]!.position).toBe(results[0]!.position);
    expect(await recordedCdEvents(s)).toHaveLength(before + 1);
  });

  it('answers a batch that is not an array with 400, and an empty batch with no results', async () => {
    await post(s, tokens['ci-payments']!, { headers: { 'content-type': 'application/cloudevents-batch+json' }, body: '{"a":1}' }).expect(
      400,
    );
    const empty = await post(s, tokens['ci-payments']!, {
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: '[]',
    }).expect(200);
    expect(empty.body).toEqual({ results: [] });
  });

  it('answers 413 for a body over the limit and stays up', async () => {
    const event = withId(deployed!.event, 'huge-1') as unknown as Loose;
    event['customData'] = { padding: 'x'.repeat(70_000) };
    const before = (await recordedCdEvents(s)).length;
    const res = await post(s, tokens['ci-payments']!, bare(event)).expect(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    await post(s, tokens['ci-payments']!, bare(withId(deployed!.event, 'after-huge'))).expect(202);
    expect(await recordedCdEvents(s)).toHaveLength(before + 1);
  });

  it('answers 401 without a token or with a bad one', async () => {
    const message = bare(withId(deployed!.event, 'anon-1'));
    await s.http.post('/v1/cdevents').set(message.headers).send(message.body).expect(401);
    await post(s, 'clt_not-a-token', message).expect(401);
  });

  it('answers 403 naming the rule to a caller that may not ingest into the project', async () => {
    const message = bare(withId(deployed!.event, 'forbidden-1'));
    const user = await post(s, tokens['qa-alice']!, message).expect(403);
    expect(user.body.rule).toEqual(expect.any(String));
    const other = await post(s, tokens['ci-payments']!, message, '?project=shop').expect(403);
    expect(other.body.rule).toEqual(expect.any(String));
    expect((await recordedCdEvents(s)).filter((e) => e.data['id'] === 'forbidden-1')).toHaveLength(0);
  });

  it('commits the access decision that allowed an ingest together with the events it allowed', async () => {
    await post(s, tokens['ci-payments']!, bare(withId(deployed!.event, 'decided-1'))).expect(202);
    const batch = [withId(deployed!.event, 'decided-2'), withId(deployed!.event, 'decided-3')];
    await post(s, tokens['ci-payments']!, toCloudEventBatch(batch)).expect(200);
    const events = await allEvents(s);
    const txid = (cursor: string) => cursor.split(':')[0];
    for (const ids of [['decided-1'], ['decided-2', 'decided-3']]) {
      const recorded = events.filter((e) => e.type === 'CdEventRecorded' && ids.includes(e.data['id'] as string));
      expect(recorded).toHaveLength(ids.length);
      const decisionIds = new Set(recorded.map((e) => e.metadata['decisionId']));
      expect(decisionIds.size).toBe(1);
      const decision = events.find((e) => e.type === 'AccessAllowed' && e.data['decision_id'] === [...decisionIds][0]);
      expect(decision?.data).toMatchObject({
        input: { action: 'cdevent.ingest', principal: { id: 'ci-payments' } },
        result: { allowed: true },
      });
      // One transaction: the decision and what it allowed share a transaction id, the decision first.
      expect(new Set([decision!, ...recorded].map((e) => txid(e.cursor)))).toEqual(new Set([txid(decision!.cursor)]));
      expect(decision!.position).toBeLessThan(Math.min(...recorded.map((e) => e.position)));
    }
  });

  it('records an allowed ingest that stored nothing, and every refusal', async () => {
    const decisions = async (type: string, principal: string) =>
      (await allEvents(s)).filter(
        (e) =>
          e.type === type &&
          (e.data['input'] as { action: string; principal: { id: string } }).action === 'cdevent.ingest' &&
          (e.data['input'] as { principal: { id: string } }).principal.id === principal,
      ).length;
    const allowedBefore = await decisions('AccessAllowed', 'ci-payments');
    const deniedBefore = await decisions('AccessDenied', 'qa-alice');
    const invalid = withId(deployed!.event, 'decided-invalid') as unknown as { subject: { content: Record<string, unknown> } };
    delete invalid.subject.content['artifactId'];
    await post(s, tokens['ci-payments']!, bare(invalid as unknown as CdEvent)).expect(400);
    await post(s, tokens['qa-alice']!, bare(withId(deployed!.event, 'decided-denied'))).expect(403);
    expect(await decisions('AccessAllowed', 'ci-payments')).toBe(allowedBefore + 1);
    expect(await decisions('AccessDenied', 'qa-alice')).toBe(deniedBefore + 1);
  });

  it('files under the one project of a pipeline, and makes a principal of several name it', async () => {
    const unnamed = await post(s, tokens['ci-both']!, bare(withId(deployed!.event, 'multi-1'))).expect(400);
    expect(unnamed.body.errors[0].pointer).toBe('/project');
    await post(s, tokens['ci-both']!, bare(withId(deployed!.event, 'multi-1')), '?project=shop').expect(202);
    await post(s, ADMIN_TOKEN, bare(withId(deployed!.event, 'admin-1'))).expect(400);
    await post(s, ADMIN_TOKEN, bare(withId(deployed!.event, 'admin-1')), '?project=payments').expect(202);
    const stored = await recordedCdEvents(s);
    expect(stored.find((e) => e.data['id'] === 'multi-1')!.data['project']).toBe('shop');
    expect(stored.find((e) => e.data['id'] === 'admin-1')!.metadata.project).toBe('payments');
  });
});

describeCorpus('POST /v1/cdevents: rate limit and unknown versions by configuration', () => {
  let s: Running;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    s = await startStandalone({ INGEST_RATE_LIMIT: '1', INGEST_RATE_BURST: '3', CDEVENTS_ACCEPT_UNKNOWN: 'true' });
    tokens = await setUp(s, ['payments'], { 'ci-payments': { kind: 'pipeline', roles: [['pipeline', 'payments']] } });
  });
  afterAll(async () => s.stop());

  it('stores an unknown version flagged unvalidated', async () => {
    const event = withId(deployed!.event, 'future-1');
    event.context.type = 'dev.cdevents.service.deployed.0.9.0';
    await post(s, tokens['ci-payments']!, bare(event)).expect(202);
    const [stored] = (await recordedCdEvents(s)).filter((e) => e.data['id'] === 'future-1');
    expect(stored!.data).toMatchObject({ validated: false, type: 'dev.cdevents.service.deployed.0.9.0' });
  });

  it('answers 429 problem+json with Retry-After once the bucket is empty, storing nothing', async () => {
    const batch = toCloudEventBatch([withId(deployed!.event, 'rl-1'), withId(deployed!.event, 'rl-2')]);
    await post(s, tokens['ci-payments']!, batch).expect(200);
    const before = (await recordedCdEvents(s)).length;
    const res = await post(
      s,
      tokens['ci-payments']!,
      toCloudEventBatch([withId(deployed!.event, 'rl-3'), withId(deployed!.event, 'rl-4')]),
    ).expect(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await recordedCdEvents(s)).toHaveLength(before);
    // Another principal has its own bucket.
    await post(s, ADMIN_TOKEN, bare(withId(deployed!.event, 'rl-admin')), '?project=payments').expect(202);
  });
});
