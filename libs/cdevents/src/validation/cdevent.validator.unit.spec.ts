import { existsSync } from 'node:fs';
import { corpusDir, loadConformanceExamples, loadOfficialSchemas, type ConformanceExample } from '../testing/conformance-corpus.js';
import { compileOfficialSchemas, type OracleValidate } from '../testing/official-schema.oracle.js';
import { parseCdEvent, validateCdEvent } from './cdevent.validator.js';
import { Invalid } from '#kernel';

const dir = corpusDir(import.meta.url);
const haveCorpus = existsSync(dir);
const describeCorpus = haveCorpus ? describe : describe.skip;

type Json = unknown;
type Path = readonly (string | number)[];

const pointerOf = (path: Path): string => path.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Every node of a JSON value with its path (the root excluded). */
function nodes(value: Json, path: Path = []): { path: Path; value: Json }[] {
  const out: { path: Path; value: Json }[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push({ path: [...path, i], value: v }, ...nodes(v, [...path, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push({ path: [...path, k], value: v }, ...nodes(v, [...path, k]));
  }
  return out;
}

/** Deep copy with `fn` applied to the parent of `path` and its last token. */
function mutate(event: Json, path: Path, fn: (parent: Record<string | number, Json>, key: string | number) => void): Json {
  const copy = structuredClone(event) as Record<string | number, Json>;
  let parent = copy;
  for (const t of path.slice(0, -1)) parent = parent[t] as Record<string | number, Json>;
  fn(parent, path[path.length - 1] as string | number);
  return copy;
}

interface Mutation {
  readonly label: string;
  readonly event: Json;
  /** Pointer an error must name when the mutation makes the event invalid. */
  readonly pointer: string;
}

/** Negative (and some neutral) variants of one example: drops, wrong types, bad strings, unknown members. */
function mutationsOf(example: Record<string, unknown>): Mutation[] {
  const out: Mutation[] = [];
  for (const { path, value } of nodes(example)) {
    const pointer = pointerOf(path);
    const isArrayItem = typeof path[path.length - 1] === 'number';
    if (!isArrayItem) out.push({ label: `drop ${pointer}`, pointer, event: mutate(example, path, (p, k) => delete p[k]) });
    out.push({ label: `${pointer} = 42`, pointer, event: mutate(example, path, (p, k) => (p[k] = 42)) });
    if (typeof value === 'string') {
      for (const bad of ['', 'bogus-value', 'has space', '2023-03-20T14:27:05.315384']) {
        out.push({ label: `${pointer} = ${JSON.stringify(bad)}`, pointer, event: mutate(example, path, (p, k) => (p[k] = bad)) });
      }
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push({
        label: `unknown member in ${pointer}`,
        pointer: `${pointer}/zzUnknown`,
        event: mutate(example, [...path, 'zzUnknown'], (p, k) => (p[k] = 'x')),
      });
    }
  }
  out.push({ label: 'unknown top-level member', pointer: '/zzUnknown', event: { ...example, zzUnknown: 'x' } });
  return out;
}

describeCorpus(`CDEvents conformance corpus (${dir})`, () => {
  const examples: ConformanceExample[] = haveCorpus ? loadConformanceExamples(dir) : [];
  const oracleFor = haveCorpus ? compileOfficialSchemas(loadOfficialSchemas(dir)) : () => () => true;
  const typeOf = (e: ConformanceExample): string => (e.event['context'] as { type: string }).type;
  const oracle = (e: ConformanceExample): OracleValidate => oracleFor(typeOf(e));

  it('holds 45 standard examples and a custom one', () => {
    expect(examples).toHaveLength(46);
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s validates with zero errors (and ajv agrees)', (_name, example) => {
    const result = validateCdEvent(example.event);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(oracle(example)(example.event)).toBe(true);
    if (!result.ok) return;
    expect(result.validated).toBe(true);
    expect(result.rules).toBe('0.5.1');
    expect(result.normalized).toBe(example.event);
    expect(result.custom).toBe(example.name === 'custom');
  });

  it.each(examples.map((e) => [e.name, e] as const))(
    '%s: every mutation is judged as ajv judges it, with the right pointer',
    (_name, example) => {
      const check = oracle(example);
      const disagreements: string[] = [];
      const wrongPointers: string[] = [];
      let invalidCount = 0;
      for (const m of mutationsOf(example.event)) {
        const expectedValid = check(m.event);
        const result = validateCdEvent(m.event);
        if (result.ok !== expectedValid) {
          disagreements.push(
            `${m.label}: ajv ${expectedValid ? 'valid' : 'invalid'}, ours ${result.ok ? 'valid' : JSON.stringify(result.errors)}`,
          );
          continue;
        }
        if (!result.ok) {
          invalidCount++;
          if (result.errors.length !== 1 || result.errors[0]?.pointer !== m.pointer) {
            wrongPointers.push(`${m.label}: ${JSON.stringify(result.errors)}`);
          }
        }
      }
      expect(disagreements).toEqual([]);
      expect(wrongPointers).toEqual([]);
      expect(invalidCount).toBeGreaterThan(20);
    },
  );

  const byName = new Map(examples.map((e) => [e.name, e.event]));
  const example = (name: string): Record<string, unknown> => structuredClone(byName.get(name) ?? {});
  const errorsOf = (event: unknown): { pointer: string; message: string }[] => {
    const r = validateCdEvent(event);
    return r.ok ? [] : r.errors;
  };

  it.each([
    ['testcaserun_finished', ['subject', 'content', 'outcome'], 'pass', 'must be one of: success, failure, cancel, error'],
    ['testcaserun_finished', ['subject', 'content', 'severity'], 'urgent', 'must be one of: low, medium, high, critical'],
    [
      'testcaserun_finished',
      ['subject', 'content', 'testCase', 'type'],
      'smoke',
      'must be one of: performance, functional, unit, security, compliance, integration, e2e, other',
    ],
    ['testsuiterun_finished', ['subject', 'content', 'outcome'], 'fail', 'must be one of: success, failure, cancel, error'],
    ['pipelinerun_finished', ['subject', 'content', 'outcome'], 'aborted', 'must be one of: success, failure, cancel, error'],
    ['testoutput_published', ['subject', 'content', 'outputType'], 'pdf', 'must be one of: report, video, image, log, other'],
    ['testcaserun_queued', ['subject', 'content', 'trigger', 'type'], 'cron', 'must be one of: manual, pipeline, event, schedule, other'],
    ['pipelinerun_started', ['context', 'links', 0, 'linkType'], 'START', 'must be one of: END, PATH, RELATION'],
  ] as const)('%s: bad enum at %j is reported', (name, path, bad, message) => {
    const event = mutate(example(name), path, (p, k) => (p[k] = bad));
    expect(errorsOf(event)).toEqual([{ pointer: pointerOf(path), message }]);
  });

  it('reports a timestamp without offset at /context/timestamp', () => {
    const event = mutate(example('service_deployed'), ['context', 'timestamp'], (p, k) => (p[k] = '2024-05-01T12:00:00'));
    expect(errorsOf(event)).toEqual([
      { pointer: '/context/timestamp', message: expect.stringContaining('RFC 3339 date-time with a time-zone offset') },
    ]);
  });

  it('reports every violation at once, not just the first', () => {
    const event = example('service_deployed') as { context: Record<string, unknown>; subject: Record<string, unknown> };
    delete event.context['id'];
    event.context['timestamp'] = 'yesterday';
    event.context['extra'] = true;
    event.subject['content'] = { environment: { source: 'has space' }, artifactId: 7 };
    event.subject['type'] = 'service';
    // Order follows the input's members (missing ones last per object); compare as a set.
    expect(
      errorsOf(event)
        .map((e) => e.pointer)
        .sort(),
    ).toEqual([
      '/context/extra',
      '/context/id',
      '/context/timestamp',
      '/subject/content/artifactId',
      '/subject/content/environment/id',
      '/subject/content/environment/source',
      '/subject/type',
    ]);
  });

  it('checks embedded links by linkType: PATH needs from, RELATION needs linkKind and target', () => {
    const event = example('build_started') as { context: { links: unknown[] } };
    event.context.links = [{ linkType: 'PATH' }, { linkType: 'RELATION', target: {} }, { linkType: 'END', from: {}, to: {} }, 'x'];
    expect(errorsOf(event)).toEqual([
      { pointer: '/context/links/0/from', message: 'is required' },
      { pointer: '/context/links/1/linkKind', message: 'is required' },
      { pointer: '/context/links/2/from/contextId', message: 'is required' },
      { pointer: '/context/links/2/to', message: 'is not allowed here (unknown field)' },
      { pointer: '/context/links/3', message: 'must be an object (got string)' },
    ]);
  });

  it('accepts customData as an object or a string, nothing else', () => {
    const event = example('incident_reported');
    expect(errorsOf({ ...event, customData: 'eyJhIjoxfQ==', customDataContentType: 'application/octet-stream' })).toEqual([]);
    expect(errorsOf({ ...event, customData: [1] })).toEqual([
      { pointer: '/customData', message: 'must be an object or a base64 string (got array)' },
    ]);
  });

  it('lets ticket.closed (only) carry subject.type "ticket", as its schema declares', () => {
    const closed = example('ticket_closed');
    (closed['subject'] as Record<string, unknown>)['type'] = 'ticket';
    expect(errorsOf(closed)).toEqual([]);
    expect(oracleFor('dev.cdevents.ticket.closed.0.2.0')(closed)).toBe(true);
    const created = example('ticket_created');
    (created['subject'] as Record<string, unknown>)['type'] = 'ticket';
    expect(errorsOf(created)).toEqual([{ pointer: '/subject/type', message: 'is not allowed here (unknown field)' }]);
  });

  it('escapes unknown member names in pointers (RFC 6901)', () => {
    const event = { ...example('build_queued'), 'a/b~c': 1 };
    expect(errorsOf(event)).toEqual([{ pointer: '/a~1b~0c', message: 'is not allowed here (unknown field)' }]);
  });

  describe('unknown types and versions', () => {
    const withType = (type: string): Record<string, unknown> => {
      const event = example('pipelinerun_started') as { context: Record<string, unknown> };
      event.context['type'] = type;
      return event;
    };

    it('names the supported versions of a known type', () => {
      expect(errorsOf(withType('dev.cdevents.pipelinerun.started.0.9.0'))).toEqual([
        {
          pointer: '/context/type',
          message: 'dev.cdevents.pipelinerun.started.0.9.0 is not supported; supported: 0.3.0 (CDEvents 0.5.1), 0.2.0 (CDEvents 0.4.x)',
        },
      ]);
      expect(errorsOf(withType('dev.cdevents.change.created.0.1.0'))[0]?.message).toBe(
        'dev.cdevents.change.created.0.1.0 is not supported; supported: 0.4.0 (CDEvents 0.5.1), 0.3.0 (CDEvents 0.4.x)',
      );
      expect(errorsOf(withType('dev.cdevents.ticket.closed.0.3.0'))[0]?.message).toBe(
        'dev.cdevents.ticket.closed.0.3.0 is not supported; supported: 0.2.0 (CDEvents 0.5.1), 0.1.0 (CDEvents 0.4.x)',
      );
    });

    it('says when the type itself is unknown', () => {
      expect(errorsOf(withType('dev.cdevents.deployment.started.0.1.0'))[0]?.message).toMatch(/unknown event type deployment\.started/);
      expect(errorsOf(withType('com.example.thing'))[0]?.message).toMatch(/is not a CDEvents type/);
    });

    it('with acceptUnknown, accepts an unknown type or version unvalidated after checking the basic context', () => {
      const event = withType('dev.cdevents.pipelinerun.started.0.9.0');
      (event['subject'] as Record<string, unknown>)['content'] = { whatever: 1 };
      const result = validateCdEvent(event, { acceptUnknown: true });
      expect(result).toMatchObject({ ok: true, validated: false, rules: null, type: 'dev.cdevents.pipelinerun.started.0.9.0' });
      if (result.ok) expect(result.normalized).toBe(event);

      const noTimestamp = mutate(event, ['context', 'timestamp'], (p, k) => delete p[k]);
      expect(validateCdEvent(noTimestamp, { acceptUnknown: true })).toEqual({
        ok: false,
        errors: [
          { pointer: '/context/timestamp', message: 'is required' },
          { pointer: '/context/type', message: expect.stringContaining('is not supported') },
        ],
      });
    });

    it('with acceptUnknown, still validates known types fully', () => {
      const event = mutate(example('pipelinerun_started'), ['subject', 'content', 'uri'], (p, k) => delete p[k]);
      expect(validateCdEvent(event, { acceptUnknown: true }).ok).toBe(false);
    });
  });

  it('parseCdEvent throws the kernel Invalid error with every field error', () => {
    const event = mutate(example('build_finished'), ['subject', 'id'], (p, k) => delete p[k]);
    expect(() => parseCdEvent(event)).toThrow(Invalid);
    try {
      parseCdEvent(event);
    } catch (err) {
      expect((err as Invalid).errors).toEqual([{ pointer: '/subject/id', message: 'is required' }]);
    }
  });
});

describe('validateCdEvent on non-events', () => {
  it.each([[null], [[]], ['x'], [42]])('rejects %j at the root', (input) => {
    expect(validateCdEvent(input)).toEqual({
      ok: false,
      errors: [{ pointer: '', message: expect.stringMatching(/^must be a JSON object/) }],
    });
  });

  it('reports missing context and subject', () => {
    expect(validateCdEvent({})).toEqual({ ok: false, errors: [{ pointer: '/context', message: 'is required' }] });
  });
});
