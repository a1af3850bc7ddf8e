import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { parseSbom } from './parse-sbom.js';
import { normalizePurl } from './package-url.js';

const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fixtureText(name)) as Record<string, unknown>;

function errorsOf(run: () => unknown): { pointer: string; message: string }[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return [...(e as Invalid).errors];
  }
  throw new Error('expected Invalid');
}
const pointers = (run: () => unknown) => errorsOf(run).map((e) => e.pointer);

const bom = (over: Record<string, unknown> = {}) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  version: 1,
  components: [],
  ...over,
});

describe('CycloneDX SBOMs', () => {
  it('reads the official 1.6 example BOM: subject, nested components, hashes and each kind of license', () => {
    const summary = parseSbom(fixture('cyclonedx-1.6-valid-bom.json'));
    expect(summary).toMatchObject({
      format: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 1,
      created: '2020-04-13T20:20:39.000Z',
    });
    expect(summary.subject?.name).toBe('Acme Application');
    expect(summary.components.map((c) => c.name)).toEqual(['tomcat-catalina', 'mylibrary', 'myframework']);
    const [tomcat, mylibrary, myframework] = summary.components;
    expect(tomcat!.hashes.map((h) => h.algorithm)).toEqual(['md5', 'sha1', 'sha256', 'sha512']);
    expect(tomcat!.licenses).toEqual(['Apache-2.0']);
    expect(mylibrary!.licenses).toEqual(['EPL-2.0 OR GPL-2.0-with-classpath-exception']);
    expect(myframework!.licenses).toEqual(['Some random license']);
    expect(myframework!.purl).toBe('pkg:maven/com.example/myframework@1.0.0?packaging=war');
  });

  it('reads the official 1.5 example BOM the same way', () => {
    const summary = parseSbom(fixture('cyclonedx-1.5-valid-bom.json'));
    expect(summary.specVersion).toBe('1.5');
    expect(summary.components.map((c) => c.name)).toEqual(['tomcat-catalina', 'mylibrary']);
  });

  it('reads vulnerabilities: highest rating, affected refs as purls, analysis state (official 1.5 and 1.6 examples)', () => {
    for (const name of ['cyclonedx-1.5-valid-vulnerability.json', 'cyclonedx-1.6-valid-vulnerability.json']) {
      const [vulnerability] = parseSbom(fixture(name)).vulnerabilities;
      expect(vulnerability).toEqual({
        id: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
        aliases: ['CVE-2018-7489'],
        severity: 'critical',
        affects: [
          {
            ref: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4',
            purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4',
          },
        ],
        analysisState: 'not_affected',
        analysisJustification: 'code_not_reachable',
      });
    }
  });

  it('takes the highest rating, reads CVSS v3 scores without a severity word, and says unknown when unrated', () => {
    const summary = parseSbom(
      bom({
        components: [{ type: 'library', name: 'a', 'bom-ref': 'a', purl: 'pkg:npm/a@1' }],
        vulnerabilities: [
          { id: 'CVE-1', ratings: [{ severity: 'low' }, { severity: 'high' }, { severity: 'unknown' }], affects: [{ ref: 'a' }] },
          { id: 'CVE-2', ratings: [{ score: 9.1, method: 'CVSSv31' }] },
          { id: 'CVE-3', ratings: [{ score: 9.1, method: 'CVSSv2' }] },
          { id: 'CVE-4' },
          { id: 'CVE-5', affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#a' }, { ref: 'elsewhere' }] },
        ],
      }),
    );
    expect(summary.vulnerabilities.map((v) => v.severity)).toEqual(['high', 'critical', 'unknown', 'unknown', 'unknown']);
    expect(summary.vulnerabilities[4]!.affects.map((a) => a.purl)).toEqual(['pkg:npm/a@1', undefined]);
  });

  it('reports structural errors by JSON Pointer', () => {
    expect(pointers(() => parseSbom({ bomFormat: 'cyclonedx', specVersion: '1.4' }))).toEqual(['/bomFormat', '/specVersion']);
    expect(
      errorsOf(() =>
        parseSbom(
          bom({
            serialNumber: 'not-a-urn',
            metadata: { timestamp: '2020-13-01T00:00:00Z' },
            components: [
              { type: 'library' },
              {
                type: 'gadget',
                name: 'x',
                'bom-ref': 'dup',
                hashes: [
                  { alg: 'SHA-256', content: 'xyz' },
                  { alg: 'CRC32', content: 'ab' },
                ],
              },
              {
                type: 'library',
                name: 'y',
                'bom-ref': 'dup',
                purl: 'npm/y',
                licenses: [{ expression: 'MIT' }, { license: { id: 'MIT' } }],
              },
              { type: 'library', name: 'z', components: [{ type: 'library', name: 7 }] },
            ],
            vulnerabilities: [{ affects: [{}], ratings: [{ severity: 'severe' }], analysis: { state: 'fine' } }],
          }),
        ),
      ),
    ).toEqual([
      { pointer: '/serialNumber', message: 'must be an RFC 4122 URN, urn:uuid:<uuid>' },
      { pointer: '/metadata/timestamp', message: expect.stringContaining('RFC 3339') },
      { pointer: '/components/0/name', message: 'is required' },
      { pointer: '/components/1/type', message: expect.stringContaining('component type') },
      { pointer: '/components/1/hashes/0/content', message: 'must be a hex digest' },
      { pointer: '/components/1/hashes/1/alg', message: expect.stringContaining('hash algorithm') },
      { pointer: '/components/2/purl', message: 'must be a package URL starting with "pkg:"' },
      { pointer: '/components/2/licenses/0', message: 'an SPDX license expression must stand alone in licenses' },
      { pointer: '/components/2/bom-ref', message: expect.stringContaining('must be unique') },
      { pointer: '/components/3/components/0/name', message: 'must be a string' },
      { pointer: '/vulnerabilities/0/analysis/state', message: expect.stringContaining('impact analysis state') },
      { pointer: '/vulnerabilities/0/ratings/0/severity', message: expect.stringContaining('critical, high') },
      { pointer: '/vulnerabilities/0/affects/0/ref', message: expect.stringContaining('is required') },
    ]);
  });

  it('stops listing after twenty errors and says how many there were', () => {
    const components = Array.from({ length: 500 }, () => ({ type: 'library' }));
    try {
      parseSbom(bom({ components }));
      throw new Error('expected Invalid');
    } catch (e) {
      expect((e as Invalid).errors).toHaveLength(20);
      expect((e as Invalid).message).toMatch(/the first 20 errors are listed/);
    }
  });

  it('refuses what is neither CycloneDX nor SPDX', () => {
    expect(pointers(() => parseSbom({ name: 'x' }))).toEqual(['']);
    expect(pointers(() => parseSbom([]))).toEqual(['']);
  });

  it('summarises a 10,000-component SBOM in one linear pass, within a small multiple of JSON.parse', () => {
    const make = (n: number) =>
      JSON.stringify(
        bom({
          metadata: { timestamp: '2024-05-01T00:00:00Z', component: { type: 'container', name: 'app', 'bom-ref': 'root' } },
          components: Array.from({ length: n }, (_, i) => ({
            type: 'library',
            'bom-ref': `pkg:npm/pkg-${i}@1.${i}.0`,
            name: `pkg-${i}`,
            version: `1.${i}.0`,
            purl: `pkg:npm/pkg-${i}@1.${i}.0`,
            hashes: [{ alg: 'SHA-256', content: i.toString(16).padStart(64, '0') }],
            licenses: [{ license: { id: 'MIT' } }],
          })),
          vulnerabilities: Array.from({ length: n / 10 }, (_, i) => ({
            id: `CVE-2024-${i}`,
            ratings: [{ severity: 'high' }],
            affects: [{ ref: `pkg:npm/pkg-${i * 10}@1.${i * 10}.0` }],
          })),
        }),
      );
    const best = (run: () => void) => {
      let min = Infinity;
      for (let r = 0; r < 5; r++) {
        const start = process.hrtime.bigint();
        run();
        min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
      }
      return min;
    };
    const text = make(10_000);
    const parsed = JSON.parse(text) as unknown;
    const summary = parseSbom(parsed);
    expect(summary.components).toHaveLength(10_000);
    expect(summary.vulnerabilities[999]!.affects[0]!.purl).toBe('pkg:npm/pkg-9990@1.9990.0');
    const parseMs = best(() => JSON.parse(text));
    const summariseMs = best(() => parseSbom(parsed));
    if (process.env['EVIDENCE_TIMINGS']) console.log({ parseMs, summariseMs });
    // Loose bounds for a shared 2-core machine: summarising must cost about what parsing costs, and grow linearly.
    expect(summariseMs).toBeLessThan(Math.max(5 * parseMs, 50));
    const small = make(1_000);
    const smallParsed = JSON.parse(small) as unknown;
    expect(best(() => parseSbom(parsed))).toBeLessThan(Math.max(30 * best(() => parseSbom(smallParsed)), 50));
  });
});

describe('SPDX SBOMs', () => {
  it('reads the official SPDX 2.3 example: namespace, creation time, packages with purls, checksums and licenses', () => {
    const summary = parseSbom(fixture('spdx-2.3-example.spdx.json'));
    expect(summary).toMatchObject({
      format: 'SPDX',
      specVersion: 'SPDX-2.3',
      serialNumber: 'http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301',
      created: '2010-01-29T18:30:22.000Z',
      vulnerabilities: [],
    });
    expect(summary.components.map((c) => c.name)).toEqual(['glibc', 'Apache Commons Lang', 'Jena', 'Saxon']);
    expect(summary.subject?.ref).toBe('SPDXRef-Package');
    const [glibc, commons, jena] = summary.components;
    expect(glibc!.hashes.map((h) => h.algorithm)).toEqual(['md5', 'sha1', 'sha256', 'blake2b_384']);
    expect(glibc!.licenses).toEqual(['(LGPL-2.0-only OR LicenseRef-3)', '(LGPL-2.0-only AND LicenseRef-3)']);
    expect(glibc!.version).toBe('2.11.1');
    expect(commons!.licenses).toEqual([]);
    expect(jena!.purl).toBe('pkg:maven/org.apache.jena/apache-jena@3.12.0');
  });

  it('reports missing document and package fields by JSON Pointer', () => {
    expect(pointers(() => parseSbom({ spdxVersion: 'SPDX-3.0' }))).toEqual([
      '/spdxVersion',
      '/SPDXID',
      '/name',
      '/dataLicense',
      '/documentNamespace',
      '/creationInfo',
    ]);
    const doc = fixture('spdx-2.3-example.spdx.json');
    doc['creationInfo'] = { created: '2010-01-29', creators: [] };
    doc['packages'] = [
      { SPDXID: 'SPDXRef-A', name: 'a', downloadLocation: 'NONE', checksums: [{ algorithm: 'SHA256', checksumValue: 'zz' }] },
      { SPDXID: 'SPDXRef-A' },
    ];
    expect(pointers(() => parseSbom(doc))).toEqual([
      '/creationInfo/created',
      '/creationInfo/creators',
      '/packages/0/checksums/0/checksumValue',
      '/packages/1/SPDXID',
      '/packages/1/name',
      '/packages/1/downloadLocation',
    ]);
  });
});

describe('package URLs', () => {
  it('compare in one spelling: scheme and type lower-case, qualifiers sorted', () => {
    expect(normalizePurl('PKG:NPM/%40scope/a@1.0.0?b=2&A=1#sub')).toBe('pkg:npm/%40scope/a@1.0.0?a=1&b=2#sub');
    expect(normalizePurl('pkg:maven/Org.Example/Lib@1')).toBe('pkg:maven/Org.Example/Lib@1');
    expect(normalizePurl('npm/a@1')).toBeUndefined();
    expect(normalizePurl('pkg:npm')).toBeUndefined();
  });
});
