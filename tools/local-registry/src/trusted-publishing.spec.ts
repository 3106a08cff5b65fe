import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { signJwt, type JwtClaims } from './jwt';
import { buildPublishBody, startLocalRegistry, startOidcStandIn, type LocalRegistry, type OidcStandIn, type PublishMetadata } from './index';

const meta = (name: string, vers: string): PublishMetadata => ({ name, vers, deps: [], features: {}, description: 'd', license: 'MIT' });

async function put(reg: LocalRegistry, m: PublishMetadata, token: string): Promise<{ status: number; detail: string }> {
  const r = await fetch(`${reg.url}/api/v1/crates/new`, {
    method: 'PUT',
    headers: { authorization: token },
    body: buildPublishBody(m, Buffer.from(`bytes ${m.name}`)),
  });
  const j = (await r.json()) as { errors?: Array<{ detail: string }> };
  return { status: r.status, detail: j.errors?.map((e) => e.detail).join('; ') ?? '' };
}

async function jwtFrom(oidc: OidcStandIn, audience = 'crates.io'): Promise<string> {
  const r = await fetch(`${oidc.requestUrl}&audience=${audience}`, { headers: { authorization: `bearer ${oidc.requestToken}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { value: string }).value;
}

async function exchange(reg: LocalRegistry, jwt: string): Promise<{ status: number; token?: string; detail: string }> {
  const r = await fetch(`${reg.url}/api/v1/trusted_publishing/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jwt }),
  });
  const j = (await r.json()) as { token?: string; errors?: Array<{ detail: string }> };
  return { status: r.status, token: j.token, detail: j.errors?.map((e) => e.detail).join('; ') ?? '' };
}

describe('trusted publishing in the local registry', () => {
  let oidc: OidcStandIn;
  let reg: LocalRegistry;

  beforeEach(async () => {
    oidc = await startOidcStandIn({ repository: 'example/wasmtime' });
    reg = await startLocalRegistry({ rateLimit: false, trustedPublishing: { issuer: oidc.issuer(), tokenLifetimeMs: 60_000 } });
    expect((await put(reg, meta('existing', '1.0.0'), reg.token)).status).toBe(200);
  });
  afterEach(async () => {
    await reg.stop();
    await oidc.stop();
    rmSync(reg.storageDir, { recursive: true, force: true });
  });

  it('exchanges a JWT of the trusted issuer once for a token that publishes new versions but cannot create a crate', async () => {
    const jwt = await jwtFrom(oidc);
    const first = await exchange(reg, jwt);
    expect(first.status).toBe(200);
    expect(first.token).toMatch(/^crt_tp_[0-9a-f]{48}$/);
    expect(await put(reg, meta('existing', '1.1.0'), first.token!)).toEqual({ status: 200, detail: '' });
    expect(await put(reg, meta('brand-new', '1.0.0'), first.token!)).toEqual({
      status: 403,
      detail: 'Trusted Publishing tokens do not support creating new crates. Publish the crate manually, first',
    });
    // Single use: the same JWT (same jti) is refused the second time.
    expect(await exchange(reg, jwt)).toMatchObject({ status: 400, detail: 'JWT has already been used' });
    expect(reg.trustedPublishing()).toEqual({ minted: 1, revoked: 0, live: 1, refusedJwts: 1 });
  });

  it('refuses a JWT for another audience, from another key, expired, or for an unconfigured repository', async () => {
    expect(await exchange(reg, await jwtFrom(oidc, 'sigstore'))).toMatchObject({ status: 400, detail: expect.stringMatching(/InvalidAudience/) });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = {
      iss: oidc.issuer().issuer,
      aud: 'crates.io',
      sub: 's',
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
      repository: 'example/wasmtime',
    };
    expect(await exchange(reg, signJwt(claims, privateKey))).toMatchObject({ status: 400, detail: expect.stringMatching(/InvalidSignature/) });
    expect(await exchange(reg, 'not-a-jwt')).toMatchObject({ status: 400, detail: expect.stringMatching(/Failed to decode JWT/) });

    // Signed by the trusted key but expired / naming another repository.
    const keyed = await startOidcStandIn({ repository: 'someone/else' });
    const other = await startLocalRegistry({ rateLimit: false, trustedPublishing: { issuer: { ...keyed.issuer(), repository: 'example/wasmtime' } } });
    try {
      expect(await exchange(other, await jwtFrom(keyed))).toMatchObject({
        status: 400,
        detail: 'No Trusted Publishing config found for repository `someone/else`.',
      });
      keyed.setJwtLifetime(-1000);
      expect(await exchange(other, await jwtFrom(keyed))).toMatchObject({ status: 400, detail: expect.stringMatching(/ExpiredSignature/) });
    } finally {
      await other.stop();
      await keyed.stop();
      rmSync(other.storageDir, { recursive: true, force: true });
    }
  });

  it('expires its tokens after their lifetime and revokes them on DELETE, saying which', async () => {
    reg.setTrustedTokenLifetime(300);
    const short = (await exchange(reg, await jwtFrom(oidc))).token!;
    expect((await put(reg, meta('existing', '2.0.0'), short)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(await put(reg, meta('existing', '2.0.1'), short)).toEqual({
      status: 403,
      detail: 'authentication failed: the Trusted Publishing token has expired',
    });

    reg.setTrustedTokenLifetime(60_000);
    const token = (await exchange(reg, await jwtFrom(oidc))).token!;
    const del = await fetch(`${reg.url}/api/v1/trusted_publishing/tokens`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(del.status).toBe(204);
    expect(await put(reg, meta('existing', '2.0.2'), token)).toEqual({
      status: 403,
      detail: 'authentication failed: the Trusted Publishing token has been revoked',
    });
    const again = await fetch(`${reg.url}/api/v1/trusted_publishing/tokens`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(401);
    expect(reg.trustedPublishing()).toMatchObject({ minted: 2, revoked: 1, live: 0 });
  });

  it('the OIDC stand-in wants its request token and can be made to refuse', async () => {
    const noAuth = await fetch(`${oidc.requestUrl}&audience=crates.io`);
    expect(noAuth.status).toBe(401);
    oidc.refuseWith(403);
    const refused = await fetch(`${oidc.requestUrl}&audience=crates.io`, { headers: { authorization: `bearer ${oidc.requestToken}` } });
    expect(refused.status).toBe(403);
    expect(oidc.issued()).toBe(0);
  });

  it('a registry without trusted publishing answers 400', async () => {
    const plain = await startLocalRegistry({ rateLimit: false });
    try {
      const r = await exchange(plain, 'x.y.z');
      expect(r).toMatchObject({ status: 400, detail: 'Trusted Publishing is not configured on this registry' });
    } finally {
      await plain.stop();
      rmSync(plain.storageDir, { recursive: true, force: true });
    }
  });
});
