/**
 * Package URLs (purl spec) in one spelling for comparison: scheme and type lower-cased,
 * qualifiers sorted by key (keys lower-cased), so `pkg:NPM/a@1?b=2&a=1` and `pkg:npm/a@1?a=1&b=2`
 * are the same package. Namespace, name and version keep their case: some types (maven, github)
 * are case-sensitive. Undefined for anything that is not `pkg:<type>/…`.
 */
export function normalizePurl(purl: string): string | undefined {
  if (purl.length < 6 || purl.slice(0, 4).toLowerCase() !== 'pkg:') return undefined;
  let rest = purl.slice(4).replace(/^\/+/, '');
  let subpath = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    subpath = rest.slice(hash);
    rest = rest.slice(0, hash);
  }
  let qualifiers = '';
  const question = rest.indexOf('?');
  if (question !== -1) {
    const pairs = rest
      .slice(question + 1)
      .split('&')
      .filter((p) => p.length > 0)
      .map((p) => {
        const eq = p.indexOf('=');
        return eq === -1 ? p.toLowerCase() : `${p.slice(0, eq).toLowerCase()}${p.slice(eq)}`;
      })
      .sort();
    qualifiers = pairs.length > 0 ? `?${pairs.join('&')}` : '';
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return `pkg:${rest.slice(0, slash).toLowerCase()}${rest.slice(slash)}${qualifiers}${subpath}`;
}
