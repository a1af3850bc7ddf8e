import { ConfigError, loadSettings } from '#platform';
import { parseChangeWindow, readAccessControlSettings, withinChangeWindow } from './access-control.settings.js';

const loadConfig = (env: NodeJS.ProcessEnv) => ({ accessControl: loadSettings(readAccessControlSettings, env) });

describe('access-control configuration', () => {
  it('defaults to the embedded Cedar engine, no OIDC, the default conflicting roles and no change window', () => {
    const { accessControl } = loadConfig({});
    expect(accessControl).toMatchObject({ policyEngine: 'cedar', opaUrl: null, policyDir: null, oidc: null, changeWindow: null });
    expect(accessControl.sodConflictingRoles).toContainEqual(['developer', 'release-manager']);
  });

  it('reads OPA, OIDC with group mappings, SoD pairs and the change window', () => {
    const { accessControl } = loadConfig({
      POLICY_ENGINE: 'opa',
      OPA_URL: 'http://127.0.0.1:8181/',
      OIDC_ISSUER: 'https://idp.example',
      OIDC_AUDIENCE: 'ledger',
      OIDC_JWKS_URL: 'https://idp.example/keys',
      OIDC_GROUP_ROLES: 'devs=developer@shop, auditors=auditor@*',
      SOD_CONFLICTING_ROLES: 'qa+developer',
      CHANGE_WINDOW: 'mon-thu,sat 08:30-12:00',
      CHANGE_WINDOW_TIMEZONE: 'Europe/Berlin',
    });
    expect(accessControl).toMatchObject({
      policyEngine: 'opa',
      opaUrl: 'http://127.0.0.1:8181',
      oidc: {
        principalClaim: 'sub',
        groupsClaim: 'groups',
        groupRoles: [
          { group: 'devs', role: 'developer', project: 'shop' },
          { group: 'auditors', role: 'auditor', project: '*' },
        ],
      },
      sodConflictingRoles: [['qa', 'developer']],
      changeWindow: { days: [1, 2, 3, 4, 6], startMinute: 510, endMinute: 720, timeZone: 'Europe/Berlin' },
    });
    expect(loadConfig({ SOD_CONFLICTING_ROLES: 'none' }).accessControl.sodConflictingRoles).toEqual([]);
  });

  it('reports every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        POLICY_ENGINE: 'opa',
        OIDC_ISSUER: 'https://idp',
        OIDC_GROUP_ROLES: 'x',
        SOD_CONFLICTING_ROLES: 'qa',
        CHANGE_WINDOW: 'weekdays',
        CHANGE_WINDOW_TIMEZONE: 'Mars/Base',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const expected of [
      /POLICY_ENGINE=opa needs OPA_URL/,
      /needs OIDC_AUDIENCE/,
      /needs OIDC_JWKS_URL/,
      /OIDC_GROUP_ROLES entry "x"/,
      /SOD_CONFLICTING_ROLES entry "qa"/,
      /CHANGE_WINDOW_TIMEZONE "Mars\/Base"/,
    ]) {
      expect(problems).toMatch(expected);
    }
  });

  it('judges the change window in its own time zone', () => {
    const window = parseChangeWindow('mon-fri 09:00-17:00', 'America/New_York', [])!;
    expect(withinChangeWindow(window, new Date('2026-06-09T13:00:00Z'))).toBe(true); // Tue 09:00 in New York
    expect(withinChangeWindow(window, new Date('2026-06-09T12:59:00Z'))).toBe(false); // Tue 08:59
    expect(withinChangeWindow(window, new Date('2026-06-09T21:00:00Z'))).toBe(false); // Tue 17:00 (end excluded)
    expect(withinChangeWindow(window, new Date('2026-06-13T15:00:00Z'))).toBe(false); // Sat
    const problems: string[] = [];
    expect(parseChangeWindow('mon-fri 17:00-09:00', 'UTC', problems)).toBeNull();
    expect(problems).toHaveLength(1);
  });
});
