import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { DomainEvent, NewEvent, RecordedEvent } from '#kernel';
import { PgliteDatabase, SqlEventStore } from '#event-store/adapters';
import { decodeIntegrationEvent } from './cloud-event-binding.js';
import { InProcessMessageBus } from './in-process-message-bus.js';
import type { IntegrationEventDeclaration } from './integration-event-registry.js';
import { contractFields, integrationEnvelope, IntegrationEventRegistry } from './integration-event-registry.js';
import type { ReceivedMessage } from './message-bus.js';
import { MessagingMetrics } from './messaging-metrics.js';
import { MessagingRuntime } from './messaging-runtime.js';

type Requested = DomainEvent<'ApprovalRequested', { approvalId: string; note: string | null }>;
type Granted = DomainEvent<'ApprovalGranted', { approvalId: string }>;

const approvals: IntegrationEventDeclaration<Requested | Granted> = {
  context: 'approvals',
  eventTypes: ['ApprovalRequested', 'ApprovalGranted'],
  map(event) {
    switch (event.type) {
      case 'ApprovalRequested': {
        const d = contractFields(event);
        return {
          ...integrationEnvelope(event, 'approvals', 'dev.compliance-ledger.approvals.approval-requested.v1'),
          data: { approvalId: d.text('approvalId'), note: d.optionalText('note') },
        };
      }
      case 'ApprovalGranted':
        return event.data.approvalId === 'secret'
          ? null
          : {
              ...integrationEnvelope(event, 'approvals', 'dev.compliance-ledger.approvals.approval-granted.v1'),
              data: { approvalId: contractFields(event).text('approvalId') },
            };
    }
  },
};

/** Another context that also claims `ApprovalGranted`. */
const telemetry: IntegrationEventDeclaration = {
  context: 'telemetry',
  eventTypes: ['CdEventRecorded', 'ApprovalGranted'],
  map: (event) => ({ ...integrationEnvelope(event, 'telemetry', 'dev.compliance-ledger.telemetry.x.v1'), data: {} }),
};

function recorded(type: string, data: Record<string, unknown>, context = 'approvals'): RecordedEvent {
  return {
    position: 1,
    cursor: '1:1',
    eventId: `id-${type}`,
    streamId: 'approval-1',
    streamVersion: 1,
    type,
    data,
    metadata: { actor: 'a', correlationId: 'c', occurredAt: '2026-03-01T10:00:00.000Z', project: 'shop', context },
    recordedAt: '2026-03-01T10:00:00.010Z',
  };
}

describe('IntegrationEventRegistry', () => {
  it('refuses two declarations that map one event type, naming the type and both contexts', () => {
    expect(() => new IntegrationEventRegistry([approvals, telemetry])).toThrow(
      'domain event type "ApprovalGranted" is mapped twice, by the declarations of approvals and telemetry',
    );
    expect(() => new IntegrationEventRegistry([telemetry, approvals])).toThrow(/"ApprovalGranted" .* telemetry and approvals/);
    expect(() => new IntegrationEventRegistry([approvals, approvals])).toThrow(/"ApprovalRequested"/);
  });

  it('offers a declaration only the events of its context and its types', () => {
    const registry = new IntegrationEventRegistry([approvals]);
    expect(registry.map(recorded('ApprovalRequested', { approvalId: 'a1', note: null }))).toEqual({
      id: 'id-ApprovalRequested',
      type: 'dev.compliance-ledger.approvals.approval-requested.v1',
      source: '/compliance-ledger/approvals',
      subject: 'approval-1',
      time: '2026-03-01T10:00:00.000Z',
      topic: 'approvals.events.v1',
      project: 'shop',
      data: { approvalId: 'a1', note: null },
    });
    expect(registry.map(recorded('ApprovalGranted', { approvalId: 'secret' }))).toBeNull();
    expect(registry.map(recorded('ApprovalNoted', { approvalId: 'a1' }))).toBeNull();
    expect(registry.map(recorded('ApprovalRequested', { approvalId: 'a1', note: null }, 'telemetry'))).toBeNull();
  });

  it('lets a declaration refuse an event that lacks a field of its contract', () => {
    const registry = new IntegrationEventRegistry([approvals]);
    expect(() => registry.map(recorded('ApprovalRequested', { note: 'n' }))).toThrow(
      'ApprovalRequested id-ApprovalRequested has no string field "approvalId" for its v1 integration event',
    );
    expect(() => registry.map(recorded('ApprovalRequested', { approvalId: 'a1', note: 7 }))).toThrow(/no string field "note"/);
  });

  it('lists the mapped event types and the topics of the declared contexts only', () => {
    const registry = new IntegrationEventRegistry([approvals, { ...telemetry, eventTypes: ['CdEventRecorded'] }]);
    expect(registry.eventTypes).toEqual(['ApprovalRequested', 'ApprovalGranted', 'CdEventRecorded']);
    expect(registry.topics).toEqual(['approvals.events.v1', 'telemetry.events.v1', 'approvals.events.v1.dlq', 'telemetry.events.v1.dlq']);
    expect(new IntegrationEventRegistry([]).topics).toEqual([]);
  });
});

/** An in-process bus that remembers which topics it was asked to create. */
class TopicRecordingBus extends InProcessMessageBus {
  readonly ensured: string[] = [];
  override async ensureTopics(topics: readonly string[]): Promise<void> {
    this.ensured.push(...topics);
    await super.ensureTopics(topics);
  }
}

describe('MessagingRuntime with integration-event declarations', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;
  let bus: TopicRecordingBus;
  const deps = () => ({
    bus,
    store,
    db,
    config: { store: 'embedded' as const, databaseUrl: null },
    metrics: new MessagingMetrics(new Registry()),
  });

  beforeEach(async () => {
    db = await PgliteDatabase.open();
    store = new SqlEventStore(db);
    await store.migrate();
    bus = new TopicRecordingBus();
  });
  afterEach(async () => {
    await bus.close();
    await db.close();
  });

  it('fails at construction, that is at startup, when two declarations map one event type', () => {
    expect(() => new MessagingRuntime(deps(), { relay: { mappers: [approvals, telemetry] } })).toThrow(/"ApprovalGranted" is mapped twice/);
  });

  it('creates only the topics of the declared contexts, and publishes their events', async () => {
    const runtime = new MessagingRuntime(deps(), { relay: { mappers: [approvals] } });
    const received: ReceivedMessage[] = [];
    await bus.subscribe({ group: 'probe', topics: ['approvals.events.v1'], handle: async (m) => void received.push(m) });
    await runtime.start();
    try {
      expect(bus.ensured).toEqual(['approvals.events.v1', 'approvals.events.v1.dlq']);
      const event = (type: string, data: Record<string, unknown>): NewEvent => ({
        eventId: randomUUID(),
        type,
        data,
        metadata: { actor: 'a', correlationId: 'c', occurredAt: '2026-03-01T10:00:00.000Z', context: 'approvals' },
      });
      await store.append(
        'approval-1',
        [event('ApprovalNoted', { approvalId: 'a1' }), event('ApprovalRequested', { approvalId: 'a1', note: 'n' })],
        'no_stream',
      );
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received.map((m) => decodeIntegrationEvent(m).data)).toEqual([{ approvalId: 'a1', note: 'n' }]);
    } finally {
      await runtime.stop();
    }
  });

  it('creates no topic when the app runs no relay', async () => {
    const runtime = new MessagingRuntime(deps());
    await runtime.start();
    expect(bus.ensured).toEqual([]);
    await runtime.stop();
  });
});
