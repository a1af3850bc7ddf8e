import { Conflict } from '#kernel';
import { deciderSpec } from '#testing';
import type { CdEventRecorded, CdEventRecordedData, RecordCdEvent } from './cdevent-record.decider.js';
import { cdeventRecordDecider } from './cdevent-record.decider.js';
import { changeFailureRateTier, deploymentFrequencyTier, leadTimeTier, recoveryTimeTier } from './dora-tiers.js';

const data: CdEventRecordedData = {
  project: 'payments',
  source: '/ci/jenkins',
  id: 'e-1',
  timestamp: '2026-03-01T10:00:00Z',
  type: 'dev.cdevents.service.deployed.0.3.0',
  rawType: 'dev.cdevents.service.deployed.0.3.0',
  specVersion: '0.5.1',
  validated: true,
  binding: 'bare',
  fingerprint: 'f1',
  raw: '{}',
  normalized: '{}',
  normalizationNotes: '',
};
const record = (overrides: Partial<CdEventRecordedData> = {}): RecordCdEvent => ({
  type: 'RecordCdEvent',
  cdevent: { ...data, ...overrides },
});
const recorded: CdEventRecorded = { type: 'CdEventRecorded', data };

describe('CDEvent record decider', () => {
  const spec = deciderSpec(cdeventRecordDecider);

  describe('given no recording of the identity', () => {
    it('records a new identity', () => {
      spec.given([]).when(record()).then([recorded]);
    });
  });

  describe('given a recorded CDEvent', () => {
    it('decides nothing for the same content in the same project (an idempotent retry)', () => {
      spec
        .given([recorded])
        .when(record({ raw: '{ }', binding: 'batch' }))
        .then([]);
    });

    it('refuses other content under the same identity', () => {
      spec
        .given([recorded])
        .when(record({ fingerprint: 'f2' }))
        .thenThrows(Conflict, /already recorded/);
    });

    it('refuses the same content filed under another project, without naming the first one', () => {
      spec
        .given([recorded])
        .when(record({ project: 'shop' }))
        .thenThrows(Conflict, /^(?![\s\S]*payments)/);
    });

    it('keeps the first recording as the state', () => {
      spec
        .given([recorded])
        .when(record())
        .thenState((s) => expect(s).toEqual({ status: 'Recorded', project: 'payments', fingerprint: 'f1' }));
    });
  });
});

describe('DORA 2023 tiers', () => {
  const HOUR = 3600;
  const DAY = 24 * HOUR;

  it('places deployment frequency', () => {
    expect([3, 1, 1 / 7, 0.1, 1 / 30, 0.01, null].map(deploymentFrequencyTier)).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      null,
    ]);
  });

  it('places lead time for changes', () => {
    expect([HOUR, DAY - 1, DAY, 7 * DAY, 8 * DAY, 30 * DAY, 31 * DAY, null].map(leadTimeTier)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      null,
    ]);
  });

  it('places change failure rate at the clusters’ figures', () => {
    expect([0, 0.05, 0.06, 0.1, 0.15, 0.16, 0.64, 1, null].map(changeFailureRateTier)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'low',
      'low',
      'low',
      null,
    ]);
  });

  it('places failed deployment recovery time', () => {
    expect([60, HOUR - 1, HOUR, DAY - 1, DAY, 7 * DAY, 7 * DAY + 1, null].map(recoveryTimeTier)).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      null,
    ]);
  });
});
