/** A small HTTP client of the ledger's API for child-process apps (fetch; no connection reuse across a kill). */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
}

export const ADMIN_TOKEN = 'fault-suite-bootstrap-admin-0123456789';

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (/(application\/|\+)json/.test(contentType) && text.length > 0) parsed = JSON.parse(text);
  return { status: response.status, contentType, body: parsed };
}

/** Throws with the answer when the status is not the expected one. */
export async function expectStatus(answer: Promise<Answer>, ...statuses: number[]): Promise<Answer> {
  const a = await answer;
  if (!statuses.includes(a.status)) throw new Error(`expected ${statuses.join(' or ')}, got ${a.status}: ${JSON.stringify(a.body)}`);
  return a;
}

/** A project and a pipeline principal allowed to ingest into it; returns the pipeline's token. */
export async function setUpPipeline(baseUrl: string, project: string, pipeline = `ci-${project}`): Promise<string> {
  const admin = { token: ADMIN_TOKEN };
  await expectStatus(call(baseUrl, 'POST', '/v1/projects', { ...admin, body: { id: project, name: project } }), 201);
  await expectStatus(
    call(baseUrl, 'POST', '/v1/principals', { ...admin, body: { id: pipeline, kind: 'pipeline', displayName: pipeline } }),
    201,
  );
  await expectStatus(
    call(baseUrl, 'POST', '/v1/role-grants', { ...admin, body: { principalId: pipeline, role: 'pipeline', project, reason: 'faults' } }),
    201,
  );
  const issued = await expectStatus(call(baseUrl, 'POST', `/v1/principals/${pipeline}/tokens`, { ...admin, body: {} }), 201);
  return issued.body.token as string;
}

/** `POST /v1/audit/verify` as the platform admin. */
export async function verifyAuditLog(baseUrl: string): Promise<{ ok: boolean; checkedEvents: number; problem: unknown }> {
  const answer = await expectStatus(call(baseUrl, 'POST', '/v1/audit/verify', { token: ADMIN_TOKEN, timeoutMs: 60_000 }), 200);
  return answer.body;
}
