import type { FieldError } from '#kernel';

/** RFC 9457 problem details, with `errors` for field-level validation messages. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://compliance-ledger.dev/problems/';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['invalid-request', 'Invalid request'],
  401: ['unauthenticated', 'Authentication required'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['illegal-state', 'Request not possible in the current state'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal-error', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

export function problem(status: number, detail: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  return { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra };
}
