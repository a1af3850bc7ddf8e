import { Invalid } from '#kernel';
import { parseSigstoreBundle } from './sigstore-bundle.js';
import { MEDIA_TYPES, dsseBundle, edited, messageBundle, testSigstore } from './sigstore-test-log.js';

const sigstore = testSigstore();
const PAYLOAD = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

const CERTIFICATE = '/verificationMaterial/certificate';
const ENTRY = '/verificationMaterial/tlogEntries/0';

function invalid(input: unknown): { pointer: string; message: string }[] {
  try {
    parseSigstoreBundle(input);
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    expect((e as Invalid).message).toBe('the Sigstore bundle is invalid');
    return [...(e as Invalid).errors];
  }
  throw new Error('expected Invalid');
}
const pointers = (input: unknown) => invalid(input).map((f) => f.pointer);

describe('parseSigstoreBundle', () => {
  it('reads every media type and both contents', () => {
    for (const version of ['0.1', '0.2', '0.3'] as const) {
      const dsse = parseSigstoreBundle(dsseBundle(sigstore, PAYLOAD, { version }));
      expect(dsse).toMatchObject({ version, mediaType: MEDIA_TYPES[version], content: 'dsseEnvelope', signer: 'certificate' });
    }
    const message = parseSigstoreBundle(messageBundle(sigstore, Buffer.from('x')));
    expect(message.content).toBe('messageSignature');
    expect(message.messageDigest?.algorithm.name).toBe('sha256');
    const legacy = { ...dsseBundle(sigstore, PAYLOAD), mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.3' };
    expect(parseSigstoreBundle(legacy).version).toBe('0.3');
  });

  it('refuses what is not a bundle object', () => {
    for (const input of [null, [], 'bundle', 3]) expect(pointers(input)).toEqual(['']);
    expect(pointers({})).toEqual(['/mediaType', '', '/verificationMaterial']);
  });

  it('refuses an unknown media type, naming the known ones', () => {
    const [error] = invalid({ ...dsseBundle(sigstore, PAYLOAD), mediaType: 'application/vnd.dev.sigstore.bundle.v0.4+json' });
    expect(error).toEqual({ pointer: '/mediaType', message: expect.stringContaining('application/vnd.dev.sigstore.bundle.v0.3+json') });
  });

  it('needs exactly one content and one kind of verification material', () => {
    const dsse = dsseBundle(sigstore, PAYLOAD);
    const both = { ...dsse, messageSignature: messageBundle(sigstore, Buffer.from('x')).messageSignature };
    expect(invalid(both)).toEqual([
      { pointer: '', message: 'must hold only one of dsseEnvelope, messageSignature, not dsseEnvelope and messageSignature' },
    ]);
    const { dsseEnvelope: _, ...neither } = dsse;
    expect(invalid(neither)).toEqual([{ pointer: '', message: 'must hold one of dsseEnvelope, messageSignature' }]);
    expect(pointers(edited(dsse, { [CERTIFICATE]: undefined }))).toEqual(['/verificationMaterial']);
  });

  it('refuses garbage base64 anywhere, where the protobuf reader would decode it into other bytes', () => {
    const bundle = edited(dsseBundle(sigstore, PAYLOAD), {
      '/dsseEnvelope/payload': 'eyJf dHlwZSI6*',
      '/dsseEnvelope/signatures/0/sig': '%%%',
      [`${CERTIFICATE}/rawBytes`]: 'not base64!',
      [`${ENTRY}/canonicalizedBody`]: 'a',
      [`${ENTRY}/inclusionProof/hashes/0`]: '$',
    });
    expect(pointers(bundle)).toEqual([
      '/dsseEnvelope/payload',
      '/dsseEnvelope/signatures/0/sig',
      '/verificationMaterial/certificate/rawBytes',
      '/verificationMaterial/tlogEntries/0/inclusionProof/hashes/0',
      '/verificationMaterial/tlogEntries/0/canonicalizedBody',
    ]);
  });

  it('refuses bytes that are not a certificate, and a Rekor body that is not JSON', () => {
    const bundle = edited(dsseBundle(sigstore, PAYLOAD), {
      [`${CERTIFICATE}/rawBytes`]: Buffer.from('certainly not DER').toString('base64'),
      [`${ENTRY}/canonicalizedBody`]: Buffer.from('not json').toString('base64'),
    });
    expect(invalid(bundle)).toEqual([
      { pointer: '/verificationMaterial/certificate/rawBytes', message: 'must be a DER-encoded X.509 certificate' },
      {
        pointer: '/verificationMaterial/tlogEntries/0/canonicalizedBody',
        message: 'must be base64 of a JSON object (the Rekor entry body)',
      },
    ]);
  });

  it('reports missing fields of a tlog entry by pointer', () => {
    const bundle = edited(dsseBundle(sigstore, PAYLOAD), {
      [`${ENTRY}/logId`]: undefined,
      [`${ENTRY}/kindVersion/kind`]: undefined,
      [`${ENTRY}/logIndex`]: '-1',
      [`${ENTRY}/inclusionProof/treeSize`]: 12.5,
      [`${ENTRY}/inclusionProof/checkpoint`]: undefined,
    });
    expect(pointers(bundle)).toEqual([
      '/verificationMaterial/tlogEntries/0/logIndex',
      '/verificationMaterial/tlogEntries/0/logId',
      '/verificationMaterial/tlogEntries/0/kindVersion/kind',
      '/verificationMaterial/tlogEntries/0/inclusionProof/treeSize',
      '/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint',
    ]);
    const noEntries = edited(dsseBundle(sigstore, PAYLOAD), { '/verificationMaterial/tlogEntries': undefined });
    expect(pointers(noEntries)).toEqual(['/verificationMaterial/tlogEntries']);
  });

  it('applies the rules of the bundle version', () => {
    const v02 = dsseBundle(sigstore, PAYLOAD, { version: '0.2' });
    const v03 = { ...v02, mediaType: MEDIA_TYPES['0.3'] };
    expect(pointers(v03)).toEqual(['/verificationMaterial/x509CertificateChain']);
    const v01 = dsseBundle(sigstore, PAYLOAD, { version: '0.1', promise: false, proof: true });
    expect(invalid(v01)).toEqual([
      { pointer: '/verificationMaterial/tlogEntries/0/inclusionPromise', message: 'is required in a v0.1 bundle' },
    ]);
    const v02NoProof = dsseBundle(sigstore, PAYLOAD, { version: '0.2', proof: false });
    expect(invalid(v02NoProof)).toEqual([
      { pointer: '/verificationMaterial/tlogEntries/0/inclusionProof', message: 'is required in a v0.2 bundle' },
    ]);
  });

  it('checks the DSSE envelope as DSSE, and that it has the one signature a bundle has', () => {
    const bundle = dsseBundle(sigstore, PAYLOAD);
    expect(pointers(edited(bundle, { '/dsseEnvelope/signatures/1': bundle.dsseEnvelope.signatures[0] }))).toEqual([
      '/dsseEnvelope/signatures',
    ]);
    expect(pointers(edited(bundle, { '/dsseEnvelope/payloadType': undefined, '/dsseEnvelope/signatures': [{}] }))).toEqual([
      '/dsseEnvelope/payloadType',
      '/dsseEnvelope/signatures/0/sig',
    ]);
  });

  it('checks the message digest against its algorithm', () => {
    const bundle = messageBundle(sigstore, Buffer.from('x'));
    const unspecified = edited(bundle, { '/messageSignature/messageDigest/algorithm': 'HASH_ALGORITHM_UNSPECIFIED' });
    expect(pointers(unspecified)).toEqual(['/messageSignature/messageDigest/algorithm']);
    const short = edited(bundle, {
      '/messageSignature/messageDigest': { algorithm: 'SHA2_384', digest: Buffer.alloc(32).toString('base64') },
    });
    expect(invalid(short)).toEqual([
      { pointer: '/messageSignature/messageDigest/digest', message: 'must be a 48-byte SHA2_384 digest (got 32 bytes)' },
    ]);
  });

  it('refuses timestamps that are not RFC 3161 DER', () => {
    const bundle = edited(dsseBundle(sigstore, PAYLOAD), {
      '/verificationMaterial/timestampVerificationData': { rfc3161Timestamps: [{ signedTimestamp: Buffer.from('no').toString('base64') }] },
    });
    expect(pointers(bundle)).toEqual(['/verificationMaterial/timestampVerificationData/rfc3161Timestamps']);
  });
});
