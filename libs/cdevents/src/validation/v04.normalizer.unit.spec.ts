import { existsSync } from 'node:fs';
import { corpusDir, loadConformanceExamples } from '../testing/conformance-corpus.js';
import { validateCdEvent } from './cdevent.validator.js';

const dir = corpusDir(import.meta.url);
const haveCorpus = existsSync(dir);
const describeCorpus = haveCorpus ? describe : describe.skip;

type Obj = Record<string, unknown>;

// The 0.4.x differences, written out here independently of the library's tables.
const SUBJECT_TYPE: Readonly<Record<string, string>> = {
  pipelinerun: 'pipelineRun',
  taskrun: 'taskRun',
  repository: 'repository',
  branch: 'branch',
  change: 'change',
  build: 'build',
  artifact: 'artifact',
  testcaserun: 'testCaseRun',
  testsuiterun: 'testSuiteRun',
  testoutput: 'testOutput',
  environment: 'environment',
  service: 'service',
  incident: 'incident',
  ticket: 'ticket',
};
const URL_RENAMED: Readonly<Record<string, readonly string[]>> = {
  pipelinerun: ['uri'],
  taskrun: ['uri'],
  repository: ['uri'],
  environment: ['uri'],
  'testsuiterun.queued': ['testSuite', 'uri'],
};
const TEST_OUTCOME_V04: Readonly<Record<string, string>> = { success: 'pass', failure: 'fail', cancel: 'cancel', error: 'error' };

const renameKey = (obj: Obj, from: string, to: string): Obj =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]));

/** Rewrites a 0.5.1 example the way a 0.4.x producer would have sent it. */
function toV04(event: Obj): Obj {
  const copy = structuredClone(event);
  const context = copy['context'] as Obj;
  const subject = copy['subject'] as Obj;
  const [, , subjectName = '', predicate = '', major, minor, patch] = (context['type'] as string).split('.');
  const { specversion: _s, ...rest } = context;
  copy['context'] = { version: '0.4.1', ...rest, type: `dev.cdevents.${subjectName}.${predicate}.${major}.${Number(minor) - 1}.${patch}` };
  let content = subject['content'] as Obj;
  const urlPath = URL_RENAMED[`${subjectName}.${predicate}`] ?? URL_RENAMED[subjectName];
  if (urlPath?.length === 1 && 'uri' in content) content = renameKey(content, 'uri', 'url');
  if (urlPath?.length === 2) {
    const [parent = ''] = urlPath;
    const inner = content[parent] as Obj | undefined;
    if (inner && 'uri' in inner) content = { ...content, [parent]: renameKey(inner, 'uri', 'url') };
  }
  if ((subjectName === 'testcaserun' || subjectName === 'testsuiterun') && predicate === 'finished') {
    content = { ...content, outcome: TEST_OUTCOME_V04[content['outcome'] as string] };
  }
  const { type: _t, ...subjectRest } = subject;
  copy['subject'] = { id: subjectRest['id'], ...subjectRest, type: SUBJECT_TYPE[subjectName] ?? 'custom', content };
  return copy;
}

describeCorpus('CDEvents 0.4.x events', () => {
  const examples = haveCorpus ? loadConformanceExamples(dir).filter((e) => e.name !== 'custom') : [];
  const byName = new Map(examples.map((e) => [e.name, e.event]));
  const v04Of = (name: string): Obj => toV04(byName.get(name) ?? {});

  it.each(examples.map((e) => [e.name, e.event] as const))(
    '%s in its 0.4.x form is accepted and normalised back to the 0.5.1 model',
    (_n, event) => {
      const v04 = toV04(event);
      const before = structuredClone(v04);
      const result = validateCdEvent(v04);
      expect(result.ok ? [] : result.errors).toEqual([]);
      if (!result.ok) return;
      expect(result).toMatchObject({
        rules: '0.4.x',
        specVersion: '0.4.1',
        rawType: (v04['context'] as Obj)['type'],
        type: (event['context'] as Obj)['type'],
        validated: true,
        custom: false,
      });
      expect(result.normalized).toEqual(event);
      expect(result.raw).toBe(v04);
      expect(v04).toEqual(before);
    },
  );

  it('uses the one-minor-lower versions, including the irregular ones', () => {
    const typeOf = (name: string): unknown => (v04Of(name)['context'] as Obj)['type'];
    expect(typeOf('pipelinerun_started')).toBe('dev.cdevents.pipelinerun.started.0.2.0');
    expect(typeOf('change_created')).toBe('dev.cdevents.change.created.0.3.0');
    expect(typeOf('artifact_downloaded')).toBe('dev.cdevents.artifact.downloaded.0.1.0');
    expect(typeOf('testcaserun_skipped')).toBe('dev.cdevents.testcaserun.skipped.0.1.0');
    expect(typeOf('ticket_closed')).toBe('dev.cdevents.ticket.closed.0.1.0');
    for (const name of ['pipelinerun_started', 'change_created', 'artifact_downloaded', 'testcaserun_skipped', 'ticket_closed']) {
      expect(validateCdEvent(v04Of(name)).ok).toBe(true);
    }
  });

  it('applies 0.4.x rules to 0.4.x types: url not uri, subject.type required, version not specversion', () => {
    const event = v04Of('pipelinerun_started');
    const subject = event['subject'] as Obj;
    subject['content'] = renameKey(subject['content'] as Obj, 'url', 'uri');
    delete subject['type'];
    event['context'] = renameKey(event['context'] as Obj, 'version', 'specversion');
    const result = validateCdEvent(event);
    expect(result.ok ? [] : result.errors.map((e) => `${e.pointer} ${e.message}`).sort()).toEqual([
      '/context/specversion is not allowed here (unknown field)',
      '/context/version is required',
      '/subject/content/uri is not allowed here (unknown field)',
      '/subject/content/url is required',
      '/subject/type is required',
    ]);
  });

  it('renames testSuite.url of testsuiterun.queued, and only there', () => {
    const queued = v04Of('testsuiterun_queued');
    const content = (queued['subject'] as Obj)['content'] as Obj;
    content['testSuite'] = { id: 'suite-1', url: 'https://tests.example/suite-1' };
    const result = validateCdEvent(queued);
    expect(result.ok && result.normalized.subject.content['testSuite']).toEqual({ id: 'suite-1', uri: 'https://tests.example/suite-1' });

    const started = v04Of('testsuiterun_started');
    ((started['subject'] as Obj)['content'] as Obj)['testSuite'] = { id: 'suite-1', url: 'https://tests.example/suite-1' };
    expect(validateCdEvent(started)).toEqual({
      ok: false,
      errors: [{ pointer: '/subject/content/testSuite/url', message: 'is not allowed here (unknown field)' }],
    });
  });

  it('checks subject.type against the event subject', () => {
    const event = v04Of('service_deployed');
    (event['subject'] as Obj)['type'] = 'environment';
    expect(validateCdEvent(event)).toEqual({ ok: false, errors: [{ pointer: '/subject/type', message: 'must be one of: service' }] });
  });

  it('takes pass/fail/cancel/error for test outcomes and maps them', () => {
    const event = v04Of('testsuiterun_finished');
    const content = (event['subject'] as Obj)['content'] as Obj;
    for (const [v04, v05] of Object.entries({ pass: 'success', fail: 'failure', cancel: 'cancel', error: 'error' })) {
      content['outcome'] = v04;
      const result = validateCdEvent(event);
      expect(result.ok && result.normalized.subject.content['outcome']).toBe(v05);
    }

    content['outcome'] = 'success';
    expect(validateCdEvent(event)).toEqual({
      ok: false,
      errors: [{ pointer: '/subject/content/outcome', message: 'must be one of: pass, fail, cancel, error' }],
    });
  });

  it.each([
    ['success', 'success'],
    ['Succeeded', 'success'],
    ['FAILED', 'failure'],
    ['aborted', 'cancel'],
    ['error', 'error'],
  ])('maps free-text pipeline outcome %s to %s', (free, mapped) => {
    const event = v04Of('pipelinerun_finished');
    ((event['subject'] as Obj)['content'] as Obj)['outcome'] = free;
    const result = validateCdEvent(event);
    expect(result.ok && result.normalized.subject.content['outcome']).toBe(mapped);
    expect(result.ok && result.notes.length).toBe(free === mapped ? 0 : 1);
  });

  it('leaves an unmappable pipeline outcome out of the normalised event, keeping it in raw', () => {
    const event = v04Of('pipelinerun_finished');
    ((event['subject'] as Obj)['content'] as Obj)['outcome'] = 'skipped by operator';
    const result = validateCdEvent(event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.normalized.subject.content).not.toHaveProperty('outcome');
    expect(((result.raw['subject'] as Obj)['content'] as Obj)['outcome']).toBe('skipped by operator');
    expect(result.notes).toEqual([expect.stringContaining('"skipped by operator" has no CDEvents 0.5.1 equivalent')]);
    expect(validateCdEvent(result.normalized).ok).toBe(true);
  });

  it('keeps taskRun outcomes as free text in both versions', () => {
    const event = v04Of('taskrun_finished');
    ((event['subject'] as Obj)['content'] as Obj)['outcome'] = 'Completed';
    const result = validateCdEvent(event);
    expect(result.ok && result.normalized.subject.content['outcome']).toBe('Completed');
  });

  it('accepts 0.4.x custom events and normalises their context', () => {
    const custom = loadConformanceExamples(dir).find((e) => e.name === 'custom')?.event ?? {};
    const v04 = structuredClone(custom);
    v04['context'] = renameKey(v04['context'] as Obj, 'specversion', 'version');
    (v04['context'] as Obj)['version'] = '0.4.1';
    (v04['subject'] as Obj)['type'] = 'resource';
    const result = validateCdEvent(v04);
    expect(result).toMatchObject({ ok: true, rules: '0.4.x', custom: true, type: 'dev.cdeventsx.mytool-resource.created.0.1.0' });
    expect(result.ok && result.normalized).toEqual(custom);
  });
});
