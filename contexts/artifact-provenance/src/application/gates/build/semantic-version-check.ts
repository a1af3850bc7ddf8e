import semver from 'semver';
import type { GateCheck } from '../gate-check.js';

export const SEMANTIC_VERSION = 'semantic-version';

/** Long enough for any real version; a longer text is cut in the reason, which is stored. */
const SHOWN_CHARS = 80;
const shown = (text: string) => JSON.stringify(text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 1)}…` : text);

/**
 * Strict SemVer 2.0.0 (`semver.valid` without `loose`). Two things `semver` accepts even then are
 * refused, because SemVer's grammar has neither: surrounding whitespace, and a leading `v`.
 * `v1.2.3` is the usual git tag for version 1.2.3, not a version; the reason says which version
 * the tag names, so the fix is obvious.
 */
export function checkSemanticVersion(version: string): GateCheck {
  const name = SEMANTIC_VERSION;
  const valid = semver.valid(version, { loose: false }) !== null;
  if (valid && version.trim() === version && !/^v/i.test(version)) {
    return { name, passed: true, reason: `${version} is a semantic version` };
  }
  const untagged = version.slice(1);
  if (/^v/i.test(version) && semver.valid(untagged, { loose: false }) !== null && untagged.trim() === untagged && !/^v/i.test(untagged)) {
    return { name, passed: false, reason: `${version} is a tag; the version is ${untagged}` };
  }
  return {
    name,
    passed: false,
    reason: `${shown(version)} is not a semantic version: expected MAJOR.MINOR.PATCH with optional -pre-release and +build (SemVer 2.0.0)`,
  };
}
