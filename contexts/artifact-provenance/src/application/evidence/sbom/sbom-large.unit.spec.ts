import { Invalid } from '#kernel';
import {
  GENERATED_NAMESPACE,
  GENERATED_SERIAL,
  generateCycloneDxSbom,
  generateSpdxSbom,
  generatedHex,
  generatedName,
  generatedPurl,
  generatedVersion,
} from '../../../../../../bench/fixtures/generated-sbom.js';
import { parseSbom } from './parse-sbom.js';
import type { SbomSummary } from './sbom-summary.js';

/**
 * What parsing a large generated SBOM (the sbom-ingest benchmark's documents) gives, asserted
 * field by field, so a faster parser is held to the same summary and the same error pointers.
 * The document's shape is described in bench/fixtures/generated-sbom.ts.
 */

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): Json =>
  path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value) as Json;

function errorsOf(run: () => unknown): { pointer: string; message: string }[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return [...(e as Invalid).errors];
  }
  throw new Error('expected Invalid');
}

describe('a generated 10,000-component CycloneDX SBOM', () => {
  let summary: SbomSummary;
  beforeAll(() => {
    summary = parseSbom(JSON.parse(JSON.stringify(generateCycloneDxSbom(10_000))));
  });

  it('keeps the document fields and the subject', () => {
    expect(summary).toMatchObject({
      format: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: GENERATED_SERIAL,
      version: 1,
      created: '2025-03-14T09:26:53.000Z',
    });
    expect(summary.subject).toEqual({
      ref: 'root-app',
      name: 'generated-app',
      version: '1.0.0',
      purl: 'pkg:npm/generated-app@1.0.0',
      hashes: [],
      licenses: [],
    });
  });

  it('flattens nested components in document order', () => {
    expect(summary.components).toHaveLength(10_000);
    const names = summary.components.map((c) => c.name);
    expect(names).toEqual(Array.from({ length: 10_000 }, (_, i) => generatedName(i)));
    expect(summary.components.every((c, i) => c.ref === generatedPurl(i) && c.purl === c.ref && c.version === generatedVersion(i))).toBe(
      true,
    );
  });

  it('reads each kind of hash and license choice', () => {
    const [c0, c1, c2, c3] = summary.components;
    expect(c0).toEqual({
      ref: 'pkg:npm/pkg-0@0.0.0',
      name: 'pkg-0',
      version: '0.0.0',
      purl: 'pkg:npm/pkg-0@0.0.0',
      // Upper-case hex in the document (i % 11 === 0), lower-case in the summary.
      hashes: [
        { algorithm: 'sha256', value: generatedHex(0, 1, 64) },
        { algorithm: 'sha512', value: generatedHex(0, 2, 128) },
      ],
      licenses: ['MIT'],
    });
    expect(at(generateCycloneDxSbom(1), 'components', 0, 'hashes', 0)['content']).toBe(generatedHex(0, 1, 64).toUpperCase());
    expect(c1).toEqual({
      ref: 'pkg:npm/pkg-1@1.1.1',
      name: 'pkg-1',
      version: '1.1.1',
      purl: 'pkg:npm/pkg-1@1.1.1',
      hashes: [{ algorithm: 'sha256', value: generatedHex(1, 1, 64) }],
      licenses: ['Apache-2.0', 'Custom licence 1'],
    });
    expect(c2!.licenses).toEqual(['MIT OR Apache-2.0']);
    expect(c3).toMatchObject({ name: '@scope-3/pkg-3', version: '3.3.3', purl: 'pkg:npm/%40scope-3/pkg-3@3.3.3', licenses: ['ISC'] });
    expect(summary.components[9_999]).toMatchObject({
      name: '@scope-49/pkg-9999',
      version: '2.99.3',
      purl: 'pkg:npm/%40scope-49/pkg-9999@2.99.3',
    });
    const hashes = summary.components.flatMap((c) => c.hashes);
    expect(hashes).toHaveLength(10_000 + 3_334);
    expect(
      hashes.every((h) => /^[0-9a-f]+$/.test(h.value) && (h.algorithm === 'sha256' ? h.value.length === 64 : h.value.length === 128)),
    ).toBe(true);
  });

  it('resolves vulnerability affects to purls, BOM-Links into this BOM included', () => {
    expect(summary.vulnerabilities).toHaveLength(500);
    expect(summary.vulnerabilities[0]).toEqual({
      id: 'CVE-2024-10000',
      aliases: [expect.stringMatching(/^GHSA-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/)],
      severity: 'none',
      affects: [{ ref: 'pkg:npm/pkg-0@0.0.0', purl: 'pkg:npm/pkg-0@0.0.0' }],
      analysisState: 'not_affected',
      analysisJustification: 'code_not_reachable',
    });
    expect(summary.vulnerabilities[1]!.affects).toEqual([
      { ref: 'pkg:npm/pkg-20@7.20.6', purl: 'pkg:npm/pkg-20@7.20.6' },
      { ref: `urn:cdx:${GENERATED_SERIAL.slice(9)}/1#pkg%3Anpm%2Fpkg-25%4012.25.4`, purl: 'pkg:npm/pkg-25@12.25.4' },
    ]);
    expect(summary.vulnerabilities.map((v) => v.severity).slice(0, 8)).toEqual([
      'none',
      'medium',
      'high',
      'low',
      'low',
      'medium',
      'low',
      'critical',
    ]);
    expect(summary.vulnerabilities[499]).toMatchObject({ id: 'CVE-2024-10499', severity: 'critical', analysisState: undefined });
    summary.vulnerabilities.forEach((v, i) => {
      expect(v.affects.map((a) => a.purl)).toEqual(
        i % 2 === 1 ? [generatedPurl(20 * i), generatedPurl(20 * i + 5)] : [generatedPurl(20 * i)],
      );
    });
    expect(summary.vulnerabilities.filter((v) => v.analysisState === 'not_affected')).toHaveLength(100);
  });

  it('reads 1.5 the same way', () => {
    const older = parseSbom(generateCycloneDxSbom(10_000, { specVersion: '1.5' }));
    expect(older.specVersion).toBe('1.5');
    expect(older.components).toEqual(summary.components);
    expect(older.vulnerabilities).toEqual(summary.vulnerabilities);
  });

  it('points at errors deep in the document (nested components, metadata, vulnerabilities)', () => {
    const doc = generateCycloneDxSbom(10_000);
    at(doc, 'metadata', 'component')['components'] = 'none';
    at(doc, 'components', 120, 'components', 1, 'hashes', 0)['content'] = 'not hex';
    at(doc, 'components', 500)['components'] = {};
    at(doc, 'components', 696, 'components', 0)['bom-ref'] = generatedPurl(10);
    at(doc, 'components', 701, 'licenses', 0)['license'] = {};
    at(doc, 'components', 702, 'hashes', 0)['alg'] = 'sha-256';
    at(doc, 'components', 7999)['purl'] = 'npm/x';
    at(doc, 'components', 7999)['version'] = 7;
    at(doc, 'components', 7999)['type'] = 'lib';
    at(doc, 'vulnerabilities', 499, 'affects', 1)['ref'] = '';
    at(doc, 'vulnerabilities', 498, 'ratings', 0)['severity'] = 'severe';
    expect(errorsOf(() => parseSbom(doc))).toEqual([
      { pointer: '/metadata/component/components', message: 'must be an array' },
      { pointer: '/components/120/components/1/hashes/0/content', message: 'must be a hex digest' },
      { pointer: '/components/500/components', message: 'must be an array' },
      {
        pointer: '/components/696/components/0/bom-ref',
        message: `"${generatedPurl(10)}" is used by another element; every bom-ref must be unique`,
      },
      { pointer: '/components/701/licenses/0', message: 'must be {license: {id | name}} or {expression}' },
      { pointer: '/components/702/hashes/0/alg', message: 'must be a CycloneDX hash algorithm such as SHA-256' },
      { pointer: '/components/7999/type', message: 'must be a CycloneDX component type such as library or application' },
      { pointer: '/components/7999/version', message: 'must be a string' },
      { pointer: '/components/7999/purl', message: 'must be a package URL starting with "pkg:"' },
      { pointer: '/vulnerabilities/498/ratings/0/severity', message: 'must be one of critical, high, medium, low, info, none, unknown' },
      { pointer: '/vulnerabilities/499/affects/1/ref', message: 'is required: the bom-ref of the affected component' },
    ]);
  });
});

describe('a generated 10,000-package SPDX SBOM', () => {
  let summary: SbomSummary;
  beforeAll(() => {
    summary = parseSbom(JSON.parse(JSON.stringify(generateSpdxSbom(10_000))));
  });

  it('keeps the document fields, the described package and every package in order', () => {
    expect(summary).toMatchObject({
      format: 'SPDX',
      specVersion: 'SPDX-2.3',
      serialNumber: GENERATED_NAMESPACE,
      version: undefined,
      created: '2025-03-14T09:26:53.000Z',
      vulnerabilities: [],
    });
    expect(summary.subject).toBe(summary.components[0]);
    expect(summary.components).toHaveLength(10_000);
    expect(
      summary.components.every(
        (c, i) =>
          c.ref === `SPDXRef-Package-${i}` &&
          c.name === generatedName(i) &&
          c.version === generatedVersion(i) &&
          c.purl === generatedPurl(i),
      ),
    ).toBe(true);
  });

  it('reads checksums and concluded/declared licenses (NOASSERTION left out, duplicates once)', () => {
    const [p0, p1, p2, p3] = summary.components;
    expect(p0).toEqual({
      ref: 'SPDXRef-Package-0',
      name: 'pkg-0',
      version: '0.0.0',
      purl: 'pkg:npm/pkg-0@0.0.0',
      hashes: [
        { algorithm: 'sha256', value: generatedHex(0, 1, 64) },
        { algorithm: 'sha1', value: generatedHex(0, 2, 40) },
      ],
      licenses: ['MIT'],
    });
    expect(p1!.licenses).toEqual(['MIT']);
    expect(p1!.hashes).toEqual([{ algorithm: 'sha256', value: generatedHex(1, 1, 64) }]);
    expect(p2!.licenses).toEqual(['MIT OR Apache-2.0', 'MIT']);
    expect(p3).toMatchObject({ name: '@scope-3/pkg-3', purl: 'pkg:npm/%40scope-3/pkg-3@3.3.3', licenses: ['ISC', 'MIT'] });
    expect(summary.components.flatMap((c) => c.hashes)).toHaveLength(10_000 + 3_334);
  });

  it('points at errors deep in the document', () => {
    const doc = generateSpdxSbom(10_000);
    at(doc, 'packages', 4321)['SPDXID'] = 'SPDXRef-Package-12';
    at(doc, 'packages', 5000, 'checksums', 0)['checksumValue'] = 'xyz';
    at(doc, 'packages', 5001, 'externalRefs', 1)['referenceLocator'] = 'npm/x';
    at(doc, 'packages', 5002)['externalRefs'] = [{ referenceType: 'purl' }];
    at(doc, 'packages', 9998)['name'] = 12;
    delete at(doc, 'packages', 9999)['downloadLocation'];
    expect(errorsOf(() => parseSbom(doc))).toEqual([
      { pointer: '/packages/4321/SPDXID', message: '"SPDXRef-Package-12" is used by another package' },
      { pointer: '/packages/5000/checksums/0/checksumValue', message: 'must be a hex digest' },
      { pointer: '/packages/5001/externalRefs/1/referenceLocator', message: 'must be a package URL starting with "pkg:"' },
      { pointer: '/packages/5002/externalRefs/0', message: 'must be {referenceCategory, referenceType, referenceLocator}' },
      { pointer: '/packages/9998/name', message: 'must be a string' },
      { pointer: '/packages/9999/downloadLocation', message: 'is required: a URL, NONE or NOASSERTION' },
    ]);
  });
});
