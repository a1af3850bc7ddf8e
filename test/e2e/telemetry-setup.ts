import { existsSync } from 'node:fs';
import type { CdEvent } from '#cdevents';
import type { EventStore, RecordedEvent } from '#kernel';
import { START } from '#kernel';
import { EVENT_STORE } from '#platform';
import { corpusDir, loadConformanceExamples, type ConformanceExample } from '../../libs/cdevents/src/testing/conformance-corpus.js';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

export type Running = Awaited<ReturnType<typeof startStandalone>>;

const CORPUS = corpusDir(import.meta.url);
export const corpusPresent = existsSync(CORPUS);

/** The official CDEvents 0.5.1 examples (46 with the custom one); they all share one context.id. */
export const conformanceExamples = (): ConformanceExample[] => (corpusPresent ? loadConformanceExamples(CORPUS) : []);

/** An example with a fresh identity, so it is not taken for a retry of another. */
export function withId(event: Record<string, unknown>, id: string): CdEvent {
  const copy = structuredClone(event) as unknown as CdEvent;
  copy.context.id = id;
  return copy;
}

/** Creates projects, and principals holding the given roles, each with a token. */
export async function setUp(
  s: Running,
  projects: readonly string[],
  principals: Record<string, { kind: 'user' | 'pipeline' | 'service'; roles: readonly [role: string, project: string][] }>,
): Promise<Record<string, string>> {
  const admin = bearer(ADMIN_TOKEN);
  for (const id of projects) await s.http.post('/v1/projects').set(admin).send({ id, name: id }).expect(201);
  const tokens: Record<string, string> = {};
  for (const [id, { kind, roles }] of Object.entries(principals)) {
    await s.http.post('/v1/principals').set(admin).send({ id, kind, displayName: id }).expect(201);
    for (const [role, project] of roles) {
      await s.http.post('/v1/role-grants').set(admin).send({ principalId: id, role, project, reason: 'e2e' }).expect(201);
    }
    tokens[id] = (await s.http.post(`/v1/principals/${id}/tokens`).set(admin).send({}).expect(201)).body.token as string;
  }
  return tokens;
}

/** Every event in the store, in commit order. */
export async function allEvents(s: Running): Promise<RecordedEvent[]> {
  const store = s.app.get<EventStore>(EVENT_STORE);
  const all: RecordedEvent[] = [];
  let cursor = START;
  for (;;) {
    const page = await store.readAll(cursor, { limit: 1000 });
    if (page.length === 0) return all;
    all.push(...page);
    cursor = page[page.length - 1]!.cursor;
  }
}

/** Every CdEventRecorded in the store, in commit order. */
export async function recordedCdEvents(s: Running): Promise<RecordedEvent[]> {
  return (await allEvents(s)).filter((e) => e.type === 'CdEventRecorded');
}
