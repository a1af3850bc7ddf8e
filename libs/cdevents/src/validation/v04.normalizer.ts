import { RUN_OUTCOMES } from '../events/core.events.js';
import type { CatalogEntry } from '../events/event-catalog.js';
import { SPEC_VERSION } from '../events/event-catalog.js';
import type { CdEvent } from '../events/cdevent.types.js';
import { isJsonObject } from './json-pointer.js';

type RunOutcome = (typeof RUN_OUTCOMES)[number];

const TEST_OUTCOMES: Readonly<Record<string, RunOutcome>> = { pass: 'success', fail: 'failure', cancel: 'cancel', error: 'error' };

// 0.4 pipeline outcomes were free text; these are the spellings tools commonly used.
const FREE_TEXT_OUTCOMES: Readonly<Record<string, RunOutcome>> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  pass: 'success',
  passed: 'success',
  ok: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  cancel: 'cancel',
  cancelled: 'cancel',
  canceled: 'cancel',
  aborted: 'cancel',
  abort: 'cancel',
  error: 'error',
  errored: 'error',
};

/** Copy of `obj` with member `from` renamed to `to`, keeping member order. */
function renameKey(obj: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v;
  return out;
}

function renameAt(obj: Record<string, unknown>, path: readonly string[], to: string): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !(head in obj)) return obj;
  if (rest.length === 0) return renameKey(obj, head, to);
  const child = obj[head];
  return isJsonObject(child) ? { ...obj, [head]: renameAt(child, rest, to) } : obj;
}

function mapOutcome(content: Record<string, unknown>, kind: 'free-text' | 'pass-fail', notes: string[]): Record<string, unknown> {
  const outcome = content['outcome'];
  if (typeof outcome !== 'string') return content;
  const table = kind === 'pass-fail' ? TEST_OUTCOMES : FREE_TEXT_OUTCOMES;
  const mapped = table[kind === 'pass-fail' ? outcome : outcome.trim().toLowerCase()];
  if (mapped !== undefined) {
    if (mapped !== outcome) notes.push(`outcome "${outcome}" mapped to "${mapped}"`);
    return { ...content, outcome: mapped };
  }
  const { outcome: _dropped, ...rest } = content;
  notes.push(`outcome "${outcome}" has no CDEvents ${SPEC_VERSION} equivalent; left out of the normalised event (kept in raw)`);
  return rest;
}

/**
 * Converts a validated CDEvents 0.4.x event to the 0.5.1 model: `context.version` becomes
 * `specversion`, the type takes its 0.5.1 version, `subject.type` goes, `url` members become
 * `uri`, and outcomes take 0.5.1 spellings. Works on a deep copy; `raw` is left untouched.
 * `entry` is undefined for custom events, whose type string is kept.
 */
export function normalizeV04(raw: Record<string, unknown>, entry: CatalogEntry | undefined, notes: string[]): CdEvent {
  const copy = structuredClone(raw);
  const { version: _version, ...context } = copy['context'] as Record<string, unknown>;
  const { type: _subjectType, ...subject } = copy['subject'] as Record<string, unknown>;
  let content = subject['content'] as Record<string, unknown>;
  for (const path of entry?.def.v04?.urlRenamed ?? []) {
    // Paths name the 0.5.1 member; in 0.4.x its last segment was spelled `url`.
    const v04Path = [...path.split('.').slice(0, -1), 'url'];
    content = renameAt(content, v04Path, 'uri');
  }
  const outcome = entry?.def.v04?.outcome;
  if (outcome !== undefined) content = mapOutcome(content, outcome, notes);
  return {
    ...copy,
    context: { specversion: SPEC_VERSION, ...context, type: entry?.type ?? context['type'] },
    subject: { ...subject, content },
  } as CdEvent;
}
