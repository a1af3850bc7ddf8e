import type { CommandExecutor, IdGenerator, StreamAppend } from '#kernel';
import type { AccessDecision } from '#platform';
import type { DecisionInput } from './policy-engine.js';
import { projectOf } from './decision-input.js';

/** Where decisions go; the event store in the apps, a list in some tests and benchmarks. */
export interface DecisionRecorder {
  /** Records a decision on its own (a refusal, or a decision about a query). */
  record(input: DecisionInput, decision: AccessDecision, engine: string, at: Date): Promise<void>;
  /** The append `record` would make, left to the write side to commit with the action it allows. */
  prepare(input: DecisionInput, decision: AccessDecision, engine: string, at: Date): StreamAppend;
}

export const decisionStreamId = (decisionId: string) => `access-decision-${decisionId}`;

/**
 * Records a decision as an `AccessAllowed` or `AccessDenied` event whose data has the shape of an
 * OPA decision-log entry (decision_id, path, input, result, policy version, timestamp), one stream
 * per decision so no two decisions contend for a stream. A decision recorded alone is committed
 * through the write path (CommandExecutor.commit), like every other append.
 */
export class EventStoreDecisionLog implements DecisionRecorder {
  constructor(
    private readonly writes: Pick<CommandExecutor, 'commit'>,
    private readonly ids: IdGenerator,
    private readonly path: string,
  ) {}

  async record(input: DecisionInput, decision: AccessDecision, engine: string, at: Date): Promise<void> {
    await this.writes.commit([this.prepare(input, decision, engine, at)]);
  }

  prepare(input: DecisionInput, decision: AccessDecision, engine: string, at: Date): StreamAppend {
    const project = projectOf(input.resource);
    const result = { allowed: decision.allowed, reasons: [...decision.reasons], ...(decision.rule ? { rule: decision.rule } : {}) };
    return {
      streamId: decisionStreamId(decision.decisionId),
      expectedVersion: 'any',
      events: [
        {
          eventId: this.ids.next(),
          type: decision.allowed ? 'AccessAllowed' : 'AccessDenied',
          data: {
            decision_id: decision.decisionId,
            path: this.path,
            input: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
            result,
            reasons: [...decision.reasons],
            policy_version: decision.policyVersion,
            engine,
            timestamp: at.toISOString(),
          },
          metadata: {
            actor: input.principal.id,
            correlationId: decision.decisionId,
            occurredAt: at.toISOString(),
            context: 'access-control',
            ...(project ? { project } : {}),
          },
        },
      ],
    };
  }
}
