/**
 * TEST SUPPORT ONLY (used by the sigstore *.unit.spec.ts files): a throw-away Fulcio-like CA
 * built with node:crypto and a minimal DER writer, so tests make their own certificates instead
 * of copying real bundles. Root and intermediate CAs (ECDSA P-256), leaf certificates with the
 * Fulcio issuer extensions and a SAN, and a CT log that embeds an SCT as Fulcio does. Nothing
 * here is fit to issue a real certificate.
 */
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

// ---- DER (X.690), definite lengths, minimal encodings ----

function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  if (body.length < 0x80) return Buffer.concat([Buffer.from([tag, body.length]), body]);
  const length: number[] = [];
  for (let n = body.length; n > 0; n = Math.floor(n / 256)) length.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | length.length, ...length]), body]);
}

export const der = {
  sequence: (...items: Uint8Array[]) => tlv(0x30, ...items),
  set: (...items: Uint8Array[]) => tlv(0x31, ...items),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  /** A non-negative INTEGER from big-endian bytes. */
  integer(bytes: Uint8Array): Buffer {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = Buffer.from(bytes.subarray(start));
    return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
  },
  oid(dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number);
    const out = [40 * arcs[0]! + arcs[1]!];
    for (const arc of arcs.slice(2)) {
      const groups: number[] = [];
      let v = arc;
      do {
        groups.unshift(v & 0x7f);
        v = Math.floor(v / 128);
      } while (v > 0);
      out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
    }
    return tlv(0x06, Buffer.from(out));
  },
  utf8: (text: string) => tlv(0x0c, Buffer.from(text, 'utf8')),
  octets: (bytes: Uint8Array) => tlv(0x04, bytes),
  bits: (bytes: Uint8Array, unused = 0) => tlv(0x03, Buffer.from([unused]), bytes),
  /** UTCTime (years 1950–2049), seconds precision. */
  utcTime(date: Date): Buffer {
    const iso = date.toISOString();
    return tlv(
      0x17,
      Buffer.from(
        `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`,
        'ascii',
      ),
    );
  },
  explicit: (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner),
  implicit: (n: number, bytes: Uint8Array) => tlv(0x80 | n, bytes),
};

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  fulcioIssuerV1: '1.3.6.1.4.1.57264.1.1',
  fulcioIssuerV2: '1.3.6.1.4.1.57264.1.8',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
};

const name = (commonName: string) =>
  der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8('compliance-ledger tests'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8(commonName))),
  );

const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octets(value));

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
const keyId = (key: KeyObject) => createHash('sha1').update(spki(key)).digest();

// ---- certificates ----

export interface TestKeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export const p256 = (): TestKeyPair => generateKeyPairSync('ec', { namedCurve: 'P-256' });

export interface TestCa {
  readonly name: Buffer;
  readonly keys: TestKeyPair;
  readonly certificate: Buffer;
}

interface TbsInput {
  readonly serial: Buffer;
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly extensions: readonly Buffer[];
}

const ALGORITHM = () => der.sequence(der.oid(OID.ecdsaWithSha256));

function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

function tbsCertificate(input: TbsInput): Buffer {
  return der.sequence(
    der.explicit(0, der.integer(Buffer.from([2]))),
    der.integer(input.serial),
    ALGORITHM(),
    input.issuer,
    der.sequence(der.utcTime(input.notBefore), der.utcTime(input.notAfter)),
    input.subject,
    spki(input.publicKey),
    der.explicit(3, der.sequence(...input.extensions)),
  );
}

const signCertificate = (tbs: Buffer, issuerKey: KeyObject) =>
  der.sequence(tbs, ALGORITHM(), der.bits(sign('sha256', tbs, { key: issuerKey, dsaEncoding: 'der' })));

const YEAR = 365 * 24 * 3600 * 1000;

/** A self-signed root CA, or an intermediate when `parent` is given. */
export function testCa(commonName: string, parent?: TestCa): TestCa {
  const keys = p256();
  const subject = name(commonName);
  const now = Date.now();
  const extensions = [
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true), ...(parent ? [der.integer(Buffer.from([0]))] : []))),
    extension(OID.keyUsage, true, der.bits(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
    extension(OID.subjectKeyId, false, der.octets(keyId(keys.publicKey))),
    ...(parent ? [extension(OID.authorityKeyId, false, der.sequence(der.implicit(0, keyId(parent.keys.publicKey))))] : []),
  ];
  const tbs = tbsCertificate({
    serial: serialNumber(),
    issuer: parent?.name ?? subject,
    subject,
    notBefore: new Date(now - YEAR),
    notAfter: new Date(now + 10 * YEAR),
    publicKey: keys.publicKey,
    extensions,
  });
  return { name: subject, keys, certificate: signCertificate(tbs, (parent ?? { keys }).keys.privateKey) };
}

export interface LeafOptions {
  /** SAN URI (workflow identity) or, when it has an @ and no scheme, an email. */
  readonly subject: string;
  readonly issuer: string;
  /** Which Fulcio issuer extensions to write. Default: both, as Fulcio does. */
  readonly issuerExtensions?: 'v1' | 'v2' | 'both' | 'none';
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Embed an SCT from this CT log. */
  readonly ctLog?: TestCtLog;
  /** The key the certificate names; a fresh one by default. */
  readonly keys?: TestKeyPair;
}

export interface TestLeaf {
  readonly keys: TestKeyPair;
  readonly certificate: Buffer;
}

/** A Fulcio-style code-signing certificate: empty subject, critical SAN, OIDC issuer extensions. */
export function testLeaf(ca: TestCa, options: LeafOptions): TestLeaf {
  const keys = options.keys ?? p256();
  const email = !/^[a-z][a-z0-9+.-]*:/i.test(options.subject);
  const which = options.issuerExtensions ?? 'both';
  const extensions = [
    extension(OID.keyUsage, true, der.bits(Buffer.from([0x80]), 7)), // digitalSignature
    extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.codeSigning))),
    extension(OID.subjectKeyId, false, der.octets(keyId(keys.publicKey))),
    extension(OID.authorityKeyId, false, der.sequence(der.implicit(0, keyId(ca.keys.publicKey)))),
    extension(OID.subjectAltName, true, der.sequence(der.implicit(email ? 1 : 6, Buffer.from(options.subject, 'ascii')))),
    ...(which === 'v1' || which === 'both' ? [extension(OID.fulcioIssuerV1, false, Buffer.from(options.issuer, 'ascii'))] : []),
    ...(which === 'v2' || which === 'both' ? [extension(OID.fulcioIssuerV2, false, der.utf8(options.issuer))] : []),
  ];
  const input = {
    serial: serialNumber(),
    issuer: ca.name,
    subject: der.sequence(),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: keys.publicKey,
  };
  // As Fulcio: the CT log signs the certificate without the SCT extension, which is then added.
  const sct = options.ctLog?.sct(tbsCertificate({ ...input, extensions }), ca.keys.publicKey, options.notBefore);
  const tbs = tbsCertificate({ ...input, extensions: sct ? [...extensions, extension(OID.sctList, false, der.octets(sct))] : extensions });
  return { keys, certificate: signCertificate(tbs, ca.keys.privateKey) };
}

// ---- CT log ----

export interface TestCtLog {
  readonly keys: TestKeyPair;
  /** SHA-256 of the log's SubjectPublicKeyInfo (RFC 6962 LogID). */
  readonly logId: Buffer;
  /** The TLS-encoded SignedCertificateTimestampList for a precertificate TBS. */
  sct(precertTbs: Buffer, issuerKey: KeyObject, at: Date): Buffer;
}

export function testCtLog(): TestCtLog {
  const keys = p256();
  const logId = createHash('sha256').update(spki(keys.publicKey)).digest();
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  return {
    keys,
    logId,
    sct(precertTbs, issuerKey, at) {
      const timestamp = Buffer.alloc(8);
      timestamp.writeBigUInt64BE(BigInt(at.getTime()));
      const issuerKeyHash = createHash('sha256').update(spki(issuerKey)).digest();
      const length = Buffer.from([precertTbs.length >> 16, (precertTbs.length >> 8) & 0xff, precertTbs.length & 0xff]);
      // RFC 6962 §3.2: version v1, certificate_timestamp, timestamp, precert_entry, issuer key hash, TBS, no extensions.
      const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, u16(1), issuerKeyHash, length, precertTbs, u16(0)]);
      const signature = sign('sha256', signed, { key: keys.privateKey, dsaEncoding: 'der' });
      // v1, log id, timestamp, no extensions, sha256(4) / ecdsa(3), signature.
      const sct = Buffer.concat([Buffer.from([0]), logId, timestamp, u16(0), Buffer.from([4, 3]), u16(signature.length), signature]);
      const item = Buffer.concat([u16(sct.length), sct]);
      return Buffer.concat([u16(item.length), item]);
    },
  };
}
