import { isRfc3339DateTime } from './date-time.format.js';
import { isUri, isUriReference } from './uri.format.js';

describe('RFC 3339 date-time', () => {
  it.each([
    '2023-03-20T14:27:05.315384Z',
    '2023-03-20T14:27:05Z',
    '2023-03-20t14:27:05z',
    '2023-03-20 14:27:05+01:00',
    '2024-02-29T00:00:00-05:30',
    '2016-12-31T23:59:60Z',
    '2017-01-01T00:59:60+01:00',
  ])('accepts %s', (s) => expect(isRfc3339DateTime(s)).toBe(true));

  it.each([
    '2023-03-20T14:27:05', // no offset
    '2023-03-20',
    '2023-02-29T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-03-20T24:00:00Z',
    '2023-03-20T14:27:60Z', // leap second only at 23:59 UTC
    '2023-03-20T14:27:05+0100', // ISO 8601 basic offset, which ajv-formats takes but RFC 3339 does not
    '2023-03-20T14:27:05+01',
    '2023-03-20T14:27:05+24:00',
    'yesterday',
  ])('refuses %s', (s) => expect(isRfc3339DateTime(s)).toBe(false));
});

describe('RFC 3986 URI and URI-reference', () => {
  it.each([
    'https://example.com/a/b?c=d#e',
    'http://user:pw@[::1]:8080/x',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    'pkg:oci/myapp@sha256%3A0b31b1c0',
    'mailto:a@b.example',
  ])('URI: accepts %s', (s) => expect(isUri(s)).toBe(true));

  it.each([
    '/event/source/123',
    'staging',
    '',
    'has space',
    'http://x/%zz',
    'http://x/#a#b',
    'http://ex ample.com',
    'https://é.example',
    'http://[::1/x',
  ])('URI: refuses %j', (s) => expect(isUri(s)).toBe(false));

  it.each(['/event/source/123', 'testkube-dev-123', '', '../x?y#z', '//host/path', 'https://example.com', 'a:b'])(
    'URI-reference: accepts %j',
    (s) => expect(isUriReference(s)).toBe(true),
  );

  it.each(['has space', 'a%2', 'a[b]', 'x#y#z', 'tab\there', '\\\\share'])('URI-reference: refuses %j', (s) =>
    expect(isUriReference(s)).toBe(false),
  );
});
