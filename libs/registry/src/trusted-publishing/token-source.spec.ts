// The trusted-publishing token source against the local registry and the OIDC
// stand-in: mint, renew, re-mint after a refusal, revoke; an OIDC endpoint that
// refuses and a registry that refuses the JWT are clear errors without the secrets.
import { startOidcStandIn, type OidcStandIn } from '@crate-train/local-registry';
import { removeTempDirs } from '@crate-train/testing';
import { resolveRegistry } from '../cargo-config';
import { connectRegistry } from '../client';
import { registryFixture, type RegistryFixture } from '../testing/e2e-support';
import { TrustedPublishingError } from './oidc';
import { TrustedPublishingTokens, type TrustedPublishingEvent } from './token-source';

afterAll(removeTempDirs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the trusted-publishing token source', () => {
  let oidc: OidcStandIn;
  let fx: RegistryFixture;
  let apiBase: string;
  beforeEach(async () => {
    oidc = await startOidcStandIn();
    fx = await registryFixture({ rateLimit: false, trustedPublishing: { issuer: oidc.issuer() } });
    apiBase = (await connectRegistry(resolveRegistry({ name: 'local', cwd: fx.cargo.cargoHome, env: fx.env }))).api.base;
  });
  afterEach(async () => {
    await fx.stop();
    await oidc.stop();
  });

  it('mints with a fresh JWT when first asked and once the token is old, once for concurrent callers, and revokes every token at the end', async () => {
    const events: TrustedPublishingEvent[] = [];
    const tokens = new TrustedPublishingTokens({ apiBase, registryName: 'local', oidc: oidc, renewAfterMs: 300, onEvent: (e) => events.push(e) });
    await tokens.start();
    const first = await tokens.token();
    expect(await tokens.token()).toBe(first);
    await sleep(350);
    const [a, b, c] = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(a).not.toBe(first);
    expect([b, c]).toEqual([a, a]);
    expect(tokens.minted).toBe(2);
    expect(oidc.issued()).toBe(2);
    expect(fx.registry.trustedPublishing()).toMatchObject({ minted: 2, live: 2 });
    tokens.invalidate(first!); // an old token refused: the current one stays
    expect(await tokens.token()).toBe(a);
    tokens.invalidate(a!);
    expect(await tokens.token()).not.toBe(a);
    expect(events.filter((e) => e.type === 'token-minted').map((e) => (e as { reason: string }).reason)).toEqual(['first', 'renew', 'refused']);
    expect(await tokens.revokeAll()).toEqual({ revoked: 3, gone: 0, failed: [] });
    expect(fx.registry.trustedPublishing()).toMatchObject({ minted: 3, revoked: 3, live: 0 });
    expect(tokens.secrets()).toEqual(expect.arrayContaining([oidc.requestToken, ...oidc.jwts()]));
  });

  it('an OIDC endpoint answering 403 and a registry refusing the JWT are clear errors without the secrets', async () => {
    oidc.refuseWith(403);
    const refused = new TrustedPublishingTokens({ apiBase, registryName: 'local', oidc });
    const err = await refused.start().catch((e: Error) => e);
    expect(err).toBeInstanceOf(TrustedPublishingError);
    expect((err as Error).message).toMatch(
      /^GitHub's OIDC token endpoint \(ACTIONS_ID_TOKEN_REQUEST_URL, http:\/\/127\.0\.0\.1:\d+\/token\) answered 403: Can't issue ID_TOKEN for audience crates\.io — the publish job needs `permissions: id-token: write`/,
    );
    expect((err as Error).message).not.toContain(oidc.requestToken);

    const stranger = await startOidcStandIn({ repository: 'someone/fork' });
    try {
      // Signed by a key the registry does not trust.
      const tokens = new TrustedPublishingTokens({ apiBase, registryName: 'local', oidc: stranger });
      const e2 = (await tokens.start().catch((e: Error) => e)) as Error;
      expect(e2.message).toMatch(
        /^registry `local` refused the GitHub OIDC token \(POST \/api\/v1\/trusted_publishing\/tokens answered 400: Failed to decode JWT: InvalidSignature\) — add a trusted publisher for this repository, workflow and environment/,
      );
      for (const s of [...stranger.jwts(), stranger.requestToken]) expect(e2.message).not.toContain(s);
      // token() does not throw: the upload then has no token and the run stops; lastError says why.
      expect(await tokens.token()).toBeUndefined();
      expect(tokens.lastError).toMatch(/InvalidSignature/);
    } finally {
      await stranger.stop();
    }
  });
});
