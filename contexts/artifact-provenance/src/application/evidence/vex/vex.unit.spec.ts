import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { readCycloneDxVex } from './cyclonedx-vex.js';
import { parseOpenVex, OPENVEX_CONTEXT_V0_2_0 } from './openvex.js';
import { buildVexIndex } from './vex-index.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function pointers(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return (e as Invalid).errors.map((f) => f.pointer);
  }
  throw new Error('expected Invalid');
}

const IMAGE = 'pkg:oci/app@sha256%3A' + 'ab'.repeat(32);
const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1';

const openVex = (statements: unknown[], timestamp = '2024-01-01T00:00:00Z') => ({
  '@context': OPENVEX_CONTEXT_V0_2_0,
  '@id': 'https://example.com/vex/1',
  author: 'Example Security <security@example.com>',
  timestamp,
  version: 1,
  statements,
});

describe('OpenVEX', () => {
  it('reads the minimal document of the OpenVEX spec, converting its offset timestamp to UTC', () => {
    const doc = parseOpenVex(fixture('openvex-0.2.0-minimal.json'));
    expect(doc.timestamp).toBe('2023-01-09T00:02:03.647Z');
    expect(doc.statements).toEqual([
      {
        vulnerability: 'CVE-2023-12345',
        aliases: [],
        products: ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'],
        subcomponents: [],
        status: 'fixed',
        justification: undefined,
        impactStatement: undefined,
        timestamp: '2023-01-09T00:02:03.647Z',
        format: 'OpenVEX',
      },
    ]);
  });

  it('reads products by identifiers.purl, subcomponents, aliases and statement timestamps', () => {
    const doc = parseOpenVex(
      openVex([
        {
          vulnerability: { name: 'CVE-2021-44228', aliases: ['GHSA-jfh8-c2jp-5v3q'] },
          products: [{ '@id': IMAGE, subcomponents: [{ '@id': 'urn:x', identifiers: { purl: LOG4J } }] }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          timestamp: '2024-02-01T00:00:00+01:00',
        },
      ]),
    );
    expect(doc.statements[0]).toMatchObject({
      products: [IMAGE],
      subcomponents: [LOG4J],
      aliases: ['GHSA-jfh8-c2jp-5v3q'],
      timestamp: '2024-01-31T23:00:00.000Z',
    });
  });

  it('requires the document fields, a known status, and a reason for not_affected', () => {
    expect(pointers(() => parseOpenVex({}))).toEqual(['/@context', '/@id', '/author', '/timestamp', '/version', '/statements']);
    expect(
      pointers(() =>
        parseOpenVex(
          openVex([
            { vulnerability: {}, status: 'fine', products: [{}] },
            { vulnerability: { name: 'CVE-1' }, status: 'not_affected', products: [{ '@id': LOG4J }] },
            { vulnerability: { name: 'CVE-2' }, status: 'not_affected', justification: 'trust_me', products: [{ '@id': LOG4J }] },
          ]),
        ),
      ),
    ).toEqual([
      '/statements/0/vulnerability/name',
      '/statements/0/status',
      '/statements/0/products/0',
      '/statements/1/justification',
      '/statements/2/justification',
    ]);
    expect(pointers(() => parseOpenVex({ ...openVex([]), '@context': 'https://openvex.dev/ns/v0.0.1' }))).toEqual(['/@context']);
  });
});

describe('CycloneDX VEX', () => {
  it('reads the not_affected analysis of the official vulnerability example as a statement about the purl', () => {
    const [statement] = readCycloneDxVex(fixture('cyclonedx-1.6-valid-vulnerability.json'));
    expect(statement).toMatchObject({
      vulnerability: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
      aliases: ['CVE-2018-7489'],
      products: ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4'],
      status: 'not_affected',
      justification: 'code_not_reachable',
      format: 'CycloneDX',
    });
    const index = buildVexIndex([statement!]);
    expect(index.isNotAffected('CVE-2018-7489', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4')).toBe(true);
  });

  it('maps analysis states to VEX statuses and keeps unresolved refs as given', () => {
    const statements = readCycloneDxVex({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      vulnerabilities: [
        { id: 'CVE-1', analysis: { state: 'false_positive' }, affects: [{ ref: 'urn:cdx:11111111-2222-3333-4444-555555555555/1#lib' }] },
        { id: 'CVE-2', analysis: { state: 'exploitable' }, affects: [{ ref: 'lib' }] },
        { id: 'CVE-3', affects: [{ ref: 'lib' }] },
      ],
    });
    expect(statements.map((s) => [s.vulnerability, s.status, s.products])).toEqual([
      ['CVE-1', 'not_affected', ['urn:cdx:11111111-2222-3333-4444-555555555555/1#lib']],
      ['CVE-2', 'affected', ['lib']],
    ]);
  });
});

describe('VEX index', () => {
  const statement = (status: string, timestamp: string, over: Record<string, unknown> = {}) => ({
    vulnerability: { name: 'CVE-2021-44228', aliases: ['GHSA-jfh8-c2jp-5v3q'] },
    products: [{ '@id': IMAGE, subcomponents: [{ '@id': LOG4J }] }],
    status,
    ...(status === 'not_affected' ? { justification: 'vulnerable_code_not_present' } : {}),
    timestamp,
    ...over,
  });

  it('answers for a subcomponent or a product, by vulnerability name or alias, in any purl spelling', () => {
    const index = buildVexIndex(parseOpenVex(openVex([statement('not_affected', '2024-01-01T00:00:00Z')])).statements);
    expect(index.isNotAffected('CVE-2021-44228', LOG4J)).toBe(true);
    expect(index.isNotAffected('cve-2021-44228', LOG4J)).toBe(true);
    expect(index.isNotAffected('GHSA-jfh8-c2jp-5v3q', LOG4J)).toBe(true);
    expect(index.isNotAffected('CVE-2021-44228', 'PKG:MAVEN/org.apache.logging.log4j/log4j-core@2.14.1')).toBe(true);
    expect(index.isNotAffected('CVE-2021-44228', IMAGE)).toBe(true);
  });

  it('never stretches a statement to another version, another package or another vulnerability', () => {
    const index = buildVexIndex(parseOpenVex(openVex([statement('not_affected', '2024-01-01T00:00:00Z')])).statements);
    expect(index.isNotAffected('CVE-2021-44228', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0')).toBe(false);
    expect(index.isNotAffected('CVE-2021-45046', LOG4J)).toBe(false);
    expect(index.statusOf('CVE-2021-45046', LOG4J)).toBeUndefined();
  });

  it('lets the latest statement win, across documents, whatever order they come in', () => {
    const older = parseOpenVex(openVex([statement('not_affected', '2024-01-01T00:00:00Z')])).statements;
    const newer = parseOpenVex(openVex([statement('affected', '2024-03-01T00:00:00Z')])).statements;
    expect(buildVexIndex([...older, ...newer]).isNotAffected('CVE-2021-44228', LOG4J)).toBe(false);
    expect(buildVexIndex([...newer, ...older]).statusOf('CVE-2021-44228', LOG4J)).toBe('affected');
    const investigation = parseOpenVex(openVex([statement('under_investigation', '2024-01-01T00:00:00Z')])).statements;
    const resolved = parseOpenVex(openVex([statement('not_affected', '2024-02-01T00:00:00Z')])).statements;
    expect(buildVexIndex([...resolved, ...investigation]).isNotAffected('CVE-2021-44228', LOG4J)).toBe(true);
  });

  it('breaks a timestamp tie in favour of the later statement', () => {
    const doc = parseOpenVex(openVex([statement('not_affected', '2024-01-01T00:00:00Z'), statement('fixed', '2024-01-01T00:00:00Z')]));
    expect(buildVexIndex(doc.statements).statusOf('CVE-2021-44228', LOG4J)).toBe('fixed');
  });
});
