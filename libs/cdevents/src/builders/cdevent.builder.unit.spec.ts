import { Invalid, ManualClock, SequentialIds } from '#kernel';
import { isCdEventOfType, validateCdEvent } from '../validation/cdevent.validator.js';
import { buildCdEvent, buildCustomCdEvent } from './cdevent.builder.js';

const options = { clock: new ManualClock('2026-02-03T04:05:06Z'), ids: new SequentialIds('ev') };

describe('buildCdEvent', () => {
  it('builds a valid, typed 0.5.1 event with generated id and timestamp', () => {
    const event = buildCdEvent(
      'dev.cdevents.pipelinerun.started.0.3.0',
      { source: '/ci/jenkins', subject: { id: 'run-1', content: { pipelineName: 'release', uri: 'https://ci.example/run/1' } } },
      options,
    );
    expect(event).toEqual({
      context: {
        specversion: '0.5.1',
        id: 'ev-1',
        source: '/ci/jenkins',
        type: 'dev.cdevents.pipelinerun.started.0.3.0',
        timestamp: '2026-02-03T04:05:06.000Z',
      },
      subject: { id: 'run-1', content: { pipelineName: 'release', uri: 'https://ci.example/run/1' } },
    });
    expect(validateCdEvent(event).ok).toBe(true);
  });

  it('keeps optional context members and custom data', () => {
    const event = buildCdEvent(
      'dev.cdevents.service.deployed.0.3.0',
      {
        id: 'fixed',
        source: '/cd/argo',
        timestamp: '2026-01-01T00:00:00+01:00',
        chainId: 'chain-1',
        links: [{ linkType: 'RELATION', linkKind: 'TRIGGER', target: { contextId: 'c-0' } }],
        subject: { id: 'svc', source: '/cd/argo', content: { environment: { id: 'prod' }, artifactId: 'pkg:oci/app@sha256:abc' } },
        customData: { ticket: 'OPS-1' },
        customDataContentType: 'application/json',
      },
      options,
    );
    expect(event.context).toMatchObject({ id: 'fixed', chainId: 'chain-1', timestamp: '2026-01-01T00:00:00+01:00' });
    expect(isCdEventOfType(event, 'dev.cdevents.service.deployed.0.3.0') && event.subject.content.artifactId).toBe(
      'pkg:oci/app@sha256:abc',
    );
    expect(validateCdEvent(event).ok).toBe(true);
  });

  it('throws Invalid listing every problem', () => {
    const build = (): unknown =>
      buildCdEvent(
        'dev.cdevents.testcaserun.finished.0.3.0',
        // @ts-expect-error outcome 'pass' is the 0.4 spelling, and environment is required
        { source: 'not a uri ok', subject: { id: '', content: { outcome: 'pass' } } },
        options,
      );
    expect(build).toThrow(Invalid);
    try {
      build();
    } catch (err) {
      expect((err as Invalid).errors.map((e) => e.pointer)).toEqual([
        '/subject/id',
        '/subject/content/outcome',
        '/subject/content/environment',
      ]);
    }
  });

  it('builds custom dev.cdeventsx events and checks their type pattern', () => {
    const event = buildCustomCdEvent(
      'dev.cdeventsx.mytool-widget.created.0.1.0',
      { source: '/mytool', subject: { id: 'w1', content: { any: ['thing'] } } },
      options,
    );
    expect(validateCdEvent(event)).toMatchObject({ ok: true, custom: true });
    expect(() =>
      buildCustomCdEvent('dev.cdeventsx.nodash.created.0.1.0', { source: '/x', subject: { id: 'w', content: {} } }, options),
    ).toThrow(Invalid);
  });
});
