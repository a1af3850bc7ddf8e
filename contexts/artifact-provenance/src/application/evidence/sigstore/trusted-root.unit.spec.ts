import { Invalid } from '#kernel';
import { findAllowedIdentity, parseAllowedIdentities } from './allowed-identity.js';
import { edited, testSigstore } from './sigstore-test-log.js';
import { loadSigstoreTrustedRoot } from './trusted-root.js';

const sigstore = testSigstore();
const root = (edits: Readonly<Record<string, unknown>>) => edited(sigstore.trustedRoot(), edits);

function refusal(input: unknown): Invalid {
  try {
    loadSigstoreTrustedRoot(input);
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return e as Invalid;
  }
  throw new Error('expected Invalid');
}

describe('loadSigstoreTrustedRoot', () => {
  it('loads a trusted root, parsed or as the text of the file', () => {
    const text = JSON.stringify(sigstore.trustedRoot());
    for (const input of [sigstore.trustedRoot(), text, Buffer.from(text)]) {
      const loaded = loadSigstoreTrustedRoot(input);
      expect(loaded).toMatchObject({ certificateAuthorities: 1, tlogs: 1, ctlogs: 1, timestampAuthorities: 0 });
      expect(loaded.material.certificateAuthorities[0]!.certChain).toHaveLength(2);
    }
  });

  it('says when the text is not JSON', () => {
    expect(refusal('{"mediaType": ').message).toMatch(/^the Sigstore trusted root is not JSON: /);
    expect(refusal(Buffer.from([0xff, 0xfe])).message).toBe('the Sigstore trusted root is not JSON: not UTF-8 text');
  });

  it('names the problem in the message, with its pointer', () => {
    const wrongType = root({ '/mediaType': 'application/json' });
    expect(refusal(wrongType).message).toBe(
      'the Sigstore trusted root is invalid: /mediaType must be application/vnd.dev.sigstore.trustedroot+json;version=0.1 or application/vnd.dev.sigstore.trustedroot.v0.2+json',
    );
    expect(refusal([]).message).toMatch(/^the Sigstore trusted root is invalid: must be a Sigstore TrustedRoot object/);
  });

  it('refuses bad keys, certificates, dates and enum values field by field', () => {
    const bad = root({
      '/tlogs/0/publicKey/rawBytes': 'no base64!',
      '/ctlogs/0/publicKey/keyDetails': 'PKIX_ECDSA_P999',
      '/ctlogs/0/logId': {},
      '/certificateAuthorities/0/certChain/certificates/1/rawBytes': Buffer.from('junk').toString('base64'),
      '/certificateAuthorities/0/validFor/start': 'last tuesday',
    });
    expect(refusal(bad).errors.map((f) => f.pointer)).toEqual([
      '/certificateAuthorities/0/certChain/certificates/1/rawBytes',
      '/certificateAuthorities/0/validFor/start',
      '/tlogs/0/publicKey/rawBytes',
      '/ctlogs/0/publicKey/keyDetails',
      '/ctlogs/0/logId/keyId',
    ]);
  });

  it('refuses a key that is not a key, as @sigstore/verify reads it', () => {
    const bad = root({ '/tlogs/0/publicKey/rawBytes': Buffer.from('not a key').toString('base64') });
    const error = refusal(bad);
    expect(error.errors).toEqual([{ pointer: '/tlogs/0/publicKey', message: expect.stringMatching(/^cannot be used: /) }]);
  });

  it('refuses a validity range that ends before it starts, and a root that trusts nothing', () => {
    const bad = root({ '/certificateAuthorities/0/validFor': { start: '2024-02-01T00:00:00Z', end: '2024-01-01T00:00:00Z' } });
    expect(refusal(bad).errors.map((f) => f.pointer)).toEqual(['/certificateAuthorities/0/validFor/end']);
    const empty = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' };
    expect(refusal(empty).message).toMatch(/trusts nothing/);
  });
});

describe('allowed identities', () => {
  const identity = {
    issuer: 'https://token.actions.githubusercontent.com',
    subject: 'https://github.com/o/r/.github/workflows/ci.yml@refs/heads/main',
  };

  it('reads exact and pattern identities', () => {
    const allowed = parseAllowedIdentities([
      { issuer: identity.issuer, subject: identity.subject },
      { issuer: identity.issuer, subjectPattern: 'https://github\\.com/o/r/.+' },
    ]);
    expect(allowed).toEqual([
      { issuer: identity.issuer, subject: identity.subject },
      { issuer: identity.issuer, subjectPattern: 'https://github\\.com/o/r/.+' },
    ]);
    expect(findAllowedIdentity(identity, allowed)).toBe(allowed[0]);
    expect(findAllowedIdentity({ ...identity, subject: 'https://github.com/o/r/other' }, allowed)).toBe(allowed[1]);
    expect(findAllowedIdentity({ ...identity, subject: 'https://github.com/o/rx/other' }, allowed)).toBeUndefined();
  });

  it('anchors patterns, alternations included', () => {
    const [allowed] = parseAllowedIdentities([{ issuer: identity.issuer, subjectPattern: 'a@example\\.com|b@example\\.com' }]);
    expect(findAllowedIdentity({ issuer: identity.issuer, subject: 'b@example.com' }, [allowed!])).toBe(allowed);
    expect(findAllowedIdentity({ issuer: identity.issuer, subject: 'a@example.com.evil' }, [allowed!])).toBeUndefined();
    expect(findAllowedIdentity({ issuer: identity.issuer, subject: 'xb@example.com' }, [allowed!])).toBeUndefined();
  });

  it('refuses identities without an issuer, with both or neither subject forms, or with a pattern that does not compile', () => {
    try {
      parseAllowedIdentities([
        { subject: 'x' },
        { issuer: identity.issuer },
        { issuer: identity.issuer, subject: 'a', subjectPattern: 'b' },
        { issuer: identity.issuer, subjectPattern: '(' },
      ]);
      throw new Error('expected Invalid');
    } catch (e) {
      expect((e as Invalid).errors.map((f) => f.pointer)).toEqual(['/0/issuer', '/1', '/2', '/3/subjectPattern']);
    }
    expect(() => parseAllowedIdentities({})).toThrow(Invalid);
  });
});
