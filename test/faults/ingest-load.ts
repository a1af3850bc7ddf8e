import { randomUUID } from 'node:crypto';
import { buildCdEvent } from '#cdevents';
import { sleep } from './app-process.js';
import { call } from './ledger-client.js';

/** A CDEvent the ledger acknowledged: the exact bytes sent and the position it answered. */
export interface Acknowledged {
  readonly id: string;
  readonly body: string;
  readonly position: number;
}

export interface LoadState {
  sent: number;
  readonly acknowledged: Acknowledged[];
  /** Answers by status; `none` counts requests that got no answer (refused or cut connections). */
  readonly answers: Record<string, number>;
  /** 5xx answers that were not problem+json, or 4xx ones: never expected under load. */
  readonly unexpected: string[];
}

const pipelineRunStarted = (run: string) =>
  JSON.stringify(
    buildCdEvent('dev.cdevents.pipelinerun.started.0.3.0', {
      id: randomUUID(),
      source: '/faults/ingest-load',
      subject: { id: run, content: { pipelineName: 'fault-suite', uri: `https://ci.example.com/runs/${run}` } },
    }),
  );

/**
 * `clients` callers post one CDEvent per request to `target()` (which may change between app
 * restarts) until stopped. A 202 is an acknowledgement: the ledger promised the event is durable.
 * `acceptedStatuses` are the other answers a fault may cause (503 while a database is down).
 */
export function ingestLoad(target: () => string, token: string, options: { clients: number; acceptedStatuses?: readonly number[] }) {
  const tolerated = new Set(options.acceptedStatuses ?? []);
  const state: LoadState = { sent: 0, acknowledged: [], answers: {}, unexpected: [] };
  let stopped = false;
  const count = (key: string) => (state.answers[key] = (state.answers[key] ?? 0) + 1);
  const client = async () => {
    while (!stopped) {
      const body = pipelineRunStarted(`run-${state.sent}`);
      state.sent++;
      try {
        const answer = await call(target(), 'POST', '/v1/cdevents', { token, raw: body, timeoutMs: 10_000 });
        count(String(answer.status));
        if (answer.status === 202) state.acknowledged.push({ id: JSON.parse(body).context.id, body, position: answer.body.position });
        else if (!tolerated.has(answer.status)) state.unexpected.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        else if (!answer.contentType.startsWith('application/problem+json'))
          state.unexpected.push(`${answer.status} as ${answer.contentType}`);
      } catch {
        count('none');
        await sleep(50); // the app is down: do not spin
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.clients }, client));
  return {
    state,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/**
 * Posts every acknowledged CDEvent again, byte for byte: a stored one answers 200 with its first
 * position; one the ledger lost is recorded anew (202) or answers otherwise. Both count as lost.
 */
export async function findLost(baseUrl: string, token: string, acknowledged: readonly Acknowledged[], concurrency = 8) {
  const lost: string[] = [];
  const moved: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < acknowledged.length; i = next++) {
      const ack = acknowledged[i]!;
      const answer = await call(baseUrl, 'POST', '/v1/cdevents', { token, raw: ack.body, timeoutMs: 30_000 });
      if (answer.status !== 200) lost.push(`${ack.id}: ${answer.status}`);
      else if (answer.body.position !== ack.position) moved.push(`${ack.id}: ${ack.position} -> ${answer.body.position}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { lost, moved };
}
