/**
 * What a context publishes for others: a versioned, public shape, separate from its internal
 * domain events. On Kafka it travels as a CloudEvent (binary mode): `id`, `source`, `type`,
 * `subject` and `time` become `ce_*` headers, `data` the JSON value, `subject` (the stream id) the key.
 */
export interface IntegrationEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  /** The id of the domain event it was made from, so consumers can dedupe. */
  readonly id: string;
  /** Reverse-DNS, versioned: `dev.compliance-ledger.<context>.<name>.v1`. */
  readonly type: Type;
  /** `/compliance-ledger/<context>` */
  readonly source: string;
  /** The aggregate's stream id; also the Kafka message key, so per-aggregate order holds. */
  readonly subject: string;
  readonly time: string;
  readonly topic: string;
  /** Project the event belongs to, when any (consumers filter on it). */
  readonly project?: string;
  readonly data: Data;
}

export type ContextName = 'access-control' | 'artifact-provenance' | 'approvals' | 'telemetry' | 'audit';

/** One topic per context and major version: `<context>.events.v1`; poison messages go to `<topic>.dlq`. */
export const TOPICS: Record<ContextName, string> = {
  'access-control': 'access-control.events.v1',
  'artifact-provenance': 'artifact-provenance.events.v1',
  approvals: 'approvals.events.v1',
  telemetry: 'telemetry.events.v1',
  audit: 'audit.events.v1',
};

export const dlqTopic = (topic: string) => `${topic}.dlq`;
