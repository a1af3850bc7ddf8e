import { existsSync } from 'node:fs';
import { corpusDir, loadOfficialSchemas } from '../testing/conformance-corpus.js';
import { CATALOG, CDEVENT_TYPES, previousMinor, supportedVersionsOf } from './event-catalog.js';
import { CdEventTypes } from './event-models.js';

const dir = corpusDir(import.meta.url);

describe('event catalog', () => {
  it('models 45 event types, named one per type', () => {
    expect(CDEVENT_TYPES).toHaveLength(45);
    expect(new Set(Object.values(CdEventTypes))).toEqual(new Set(CDEVENT_TYPES));
  });

  (existsSync(dir) ? it : it.skip)('has exactly the type strings of the official 0.5.1 schemas', () => {
    expect([...loadOfficialSchemas(dir).byType.keys()].sort()).toEqual([...CDEVENT_TYPES].sort());
  });

  it('derives 0.4.x versions one minor lower', () => {
    expect(previousMinor('0.3.0')).toBe('0.2.0');
    expect(() => previousMinor('1.0.0')).toThrow();
    const v04 = new Map(CATALOG.map((e) => [e.name, e.v04Type]));
    expect(v04.get('change.created')).toBe('dev.cdevents.change.created.0.3.0');
    expect(v04.get('ticket.updated')).toBe('dev.cdevents.ticket.updated.0.1.0');
    expect(v04.get('artifact.deleted')).toBe('dev.cdevents.artifact.deleted.0.1.0');
  });

  it('lists supported versions per subject.predicate', () => {
    expect(supportedVersionsOf('pipelinerun.started')).toEqual([
      { version: '0.3.0', spec: 'CDEvents 0.5.1' },
      { version: '0.2.0', spec: 'CDEvents 0.4.x' },
    ]);
    expect(supportedVersionsOf('deployment.started')).toBeUndefined();
  });
});
