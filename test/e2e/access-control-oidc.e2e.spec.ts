import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CryptoKey, JWK } from 'jose';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ADMIN_TOKEN, bearer, startStandalone } from './standalone-harness.js';

type Running = Awaited<ReturnType<typeof startStandalone>>;

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'compliance-ledger';

/**
 * OIDC sign-in verified for real by jose against a JWKS served by a small local HTTP server,
 * with keys made in the test.
 */
describe('access control over HTTP: JWTs from the configured OIDC issuer', () => {
  let s: Running;
  let jwks: ReturnType<typeof createServer>;
  let key: CryptoKey;
  let stranger: CryptoKey;
  let jwksRequests = 0;

  const sign = (
    claims: Record<string, unknown>,
    options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? key);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    stranger = (await generateKeyPair('ES256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    s = await startStandalone({
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      OIDC_PRINCIPAL_CLAIM: 'email',
      OIDC_GROUP_ROLES: 'shop-devs=developer@shop,auditors=auditor@*',
    });
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'shop', name: 'Shop' }).expect(201);
    await s.http.post('/v1/projects').set(bearer(ADMIN_TOKEN)).send({ id: 'other', name: 'Other' }).expect(201);
  });
  afterAll(async () => {
    await s?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts a valid token: the claim names the principal, its groups map to roles', async () => {
    const token = await sign({ sub: 'u-123', email: 'Olga@Example.com', groups: ['shop-devs'] });
    const projects = await s.http.get('/v1/projects').set(bearer(token)).expect(200);
    expect(projects.body.items.map((p: { id: string }) => p.id)).toEqual(['other', 'shop']); // developers read everywhere
    const decision = await s.http
      .post('/v1/access/decisions')
      .set(bearer(token))
      .send({ principalId: 'olga@example.com', action: 'pipeline.configure', resource: { type: 'pipeline', project: 'shop' } })
      .expect(200);
    expect(decision.body).toMatchObject({ allowed: true });
    expect(decision.body.reasons.join()).toMatch(/rbac.developer/);
    await s.http.post('/v1/projects').set(bearer(token)).send({ id: 'x', name: 'x' }).expect(403);
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('maps a group to a role on every project', async () => {
    const token = await sign({ email: 'audra@example.com', groups: ['auditors'] });
    const decision = await s.http
      .post('/v1/access/decisions')
      .set(bearer(token))
      .send({ principalId: 'audra@example.com', action: 'audit.read', resource: { type: 'audit-trail', project: 'other' } })
      .expect(200);
    expect(decision.body.allowed).toBe(true);
  });

  it('refuses tokens with a wrong signature, issuer or audience, expired ones and ones without the principal claim', async () => {
    const claims = { email: 'olga@example.com', groups: ['shop-devs'] };
    for (const token of [
      await sign(claims, { key: stranger }),
      await sign(claims, { issuer: 'https://evil.example.test' }),
      await sign(claims, { audience: 'someone-else' }),
      await sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await sign({ sub: 'no-email', groups: ['shop-devs'] }),
    ]) {
      const res = await s.http.get('/v1/projects').set(bearer(token)).expect(401);
      expect(res.body.status).toBe(401);
    }
  });

  it('still accepts API tokens beside JWTs', async () => {
    await s.http.get('/v1/projects').set(bearer(ADMIN_TOKEN)).expect(200);
  });
});
