// Whole publishes of the sample with crates.io trusted publishing, against the local
// registry and the OIDC stand-in: tokens renewed as they age, a token expiring mid-run,
// an OIDC endpoint that refuses, a registry that refuses the JWT, a crate that does
// not exist yet — and no JWT or token in any line printed, any error or any file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublishBody, startOidcStandIn, type OidcStandIn } from '@crate-train/local-registry';
import { removeTempDirs } from '@crate-train/testing';
import { formatEvent } from '../format';
import { publishRelease, type PublishReleaseOptions } from '../publish-release';
import { planWorkspace } from '../publish-workspace';
import { publishableSample, registryFixture, type RegistryFixture } from '../testing/e2e-support';
import { TrustedPublishingError } from './oidc';
import type { TrustedPublishingTokens } from './token-source';

// Real cargo packaging and uploads of the 11-crate sample, several times.
jest.setTimeout(120_000);
afterAll(removeTempDirs);

/** Puts version 0.0.1 of each crate with the registry's own token: trusted publishing only publishes new versions of existing crates. */
async function seed(fx: RegistryFixture, names: string[]): Promise<void> {
  for (const name of names) {
    const body = buildPublishBody({ name, vers: '0.0.1', deps: [], features: {}, description: 'seed', license: 'MIT' }, Buffer.from(`seed ${name}`));
    const r = await fetch(`${fx.registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: fx.registry.token }, body });
    expect(r.status).toBe(200);
  }
}

/** Every file under dir, read as text. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (statSync(p).size < 5_000_000) out.push(readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe('release:publish with trusted publishing (publishRelease)', () => {
  let oidc: OidcStandIn;
  let fx: RegistryFixture;
  let root: string;
  let names: string[];

  beforeEach(async () => {
    oidc = await startOidcStandIn();
    fx = await registryFixture({ rateLimit: false, indexDelayMs: 150, recordRequests: true, trustedPublishing: { issuer: oidc.issuer() } });
    root = publishableSample();
    names = planWorkspace(root).crates.map((c) => c.name);
  });
  afterEach(async () => {
    await fx.stop();
    await oidc.stop();
  });

  /** Runs publishRelease as the job would (OIDC variables, no registry token), collecting every line it prints and every secret. */
  async function publish(extra: Partial<PublishReleaseOptions> = {}) {
    const { CARGO_REGISTRIES_LOCAL_TOKEN: _t, ...env } = fx.env;
    const lines: string[] = [];
    let tokens: TrustedPublishingTokens | undefined;
    let error: Error | undefined;
    const result = await publishRelease({
      workspaceRoot: root,
      registry: 'local',
      env: { ...env, ...oidc.env() },
      pollIntervalMs: 50,
      backoffMs: 100,
      concurrency: 4,
      rateLimits: 'none',
      onNotice: (line, level) => lines.push(`${level}: ${line}`),
      onTrustedPublishing: (t) => (tokens = t),
      onEvent: (e) => {
        const l = formatEvent(e);
        if (l) lines.push(l);
      },
      ...extra,
    }).catch((e: Error) => {
      error = e;
      return undefined;
    });
    const output = [...lines, error?.message ?? ''].join('\n');
    const secrets = [...oidc.jwts(), oidc.requestToken, ...(tokens?.secrets() ?? [])];
    for (const s of secrets) expect(output).not.toContain(s);
    for (const text of filesUnder(root)) for (const s of secrets) expect(text.includes(s)).toBe(false);
    return { result, output, error, tokens };
  }

  it('publishes every crate with tokens renewed as they age, revokes them all, and a re-run uploads nothing', async () => {
    await seed(fx, names);
    const first = await publish({ renewTokenAfterMs: 400 });
    expect(first.error).toBeUndefined();
    expect(first.result!.report.ok).toBe(true);
    expect(first.result!.report.uploaded).toHaveLength(11);
    const minted = first.result!.trustedPublishing!.minted;
    expect(minted).toBeGreaterThanOrEqual(2);
    expect(oidc.issued()).toBe(minted); // one fresh JWT per token
    expect(first.output).toMatch(/trusted publishing: token 2 minted \(the previous one was \d+ m?s old\)/);
    expect(first.output).toContain(`trusted publishing: ${minted} tokens revoked`);
    expect(fx.registry.trustedPublishing()).toMatchObject({ minted, live: 0 });
    // Every upload carried a trusted-publishing token, none the registry's own.
    const puts = fx.registry.requests().filter((r) => r.method === 'PUT' && r.url.startsWith('/api/v1/crates/new'));
    expect(puts.length).toBe(11 + names.length);
    expect(puts.slice(names.length).every((r) => String(r.headers.authorization).startsWith('crt_tp_'))).toBe(true);
    // Asked once: the registry checks before the run and the run share the answer (cargo's own reads aside).
    const configReads = fx.registry
      .requests()
      .filter((r) => r.url.startsWith('/index/config.json') && String(r.headers['user-agent']).startsWith('crate-train'));
    expect(configReads).toHaveLength(1);

    const again = await publish({ renewTokenAfterMs: 400 });
    expect(again.result!.report.uploaded).toEqual([]);
    expect(again.result!.report.alreadyPublished).toHaveLength(11);
    expect(again.output).toContain('rate-limit plan: nothing to upload');
    expect(fx.registry.trustedPublishing()!.live).toBe(0);
  });

  it('a token that expires mid-run is refused, a new one is minted, and the run continues', async () => {
    await seed(fx, names);
    fx.registry.setTrustedTokenLifetime(400);
    const r = await publish();
    expect(r.error).toBeUndefined();
    expect(r.result!.report.ok).toBe(true);
    expect(r.result!.report.uploaded).toHaveLength(11);
    expect(r.output).toContain('(the registry refused the previous one as expired)');
    const refusedPuts = fx.registry.requests().filter((q) => q.method === 'PUT').length - names.length - 11;
    expect(refusedPuts).toBeGreaterThanOrEqual(1);
    for (const [key, n] of fx.registry.uploads()) expect([key, n]).toEqual([key, 1]);
  });

  it('an OIDC endpoint answering 403 stops the run before anything is uploaded, saying what the job needs', async () => {
    await seed(fx, names);
    oidc.refuseWith(403);
    const r = await publish();
    expect(r.error).toBeInstanceOf(TrustedPublishingError);
    expect(r.error!.message).toMatch(/answered 403: .* the publish job needs `permissions: id-token: write`/);
    expect(fx.registry.uploads().size).toBe(names.length); // only the seeds
  });

  it('a registry refusing the JWT stops the run before anything is uploaded, naming its answer and the fix', async () => {
    await seed(fx, names);
    const fork = await startOidcStandIn({ repository: 'someone/fork' });
    try {
      const { CARGO_REGISTRIES_LOCAL_TOKEN: _t, ...env } = fx.env;
      const err = (await publishRelease({ workspaceRoot: root, registry: 'local', env: { ...env, ...fork.env() }, rateLimits: 'none' }).catch(
        (e: Error) => e,
      )) as Error;
      expect(err.message).toMatch(
        /^registry `local` refused the GitHub OIDC token \(POST \/api\/v1\/trusted_publishing\/tokens answered 400: Failed to decode JWT: InvalidSignature\)/,
      );
      for (const s of fork.jwts()) expect(err.message).not.toContain(s);
      expect(fx.registry.uploads().size).toBe(names.length);
    } finally {
      await fork.stop();
    }
  });

  it('crates not on the registry yet stop the run before the first upload, named, and no token is minted', async () => {
    await seed(
      fx,
      names.filter((n) => n !== 'wasmtime-fiber' && n !== 'pulley-interpreter'),
    );
    const r = await publish();
    expect(r.error!.message).toMatch(/^publish stopped before the first upload: 2 crates cannot be published, so nothing was uploaded/);
    expect(r.error!.message).toMatch(
      /pulley-interpreter 5\.0\.0, wasmtime-fiber 5\.0\.0: not on `local` yet, and a trusted-publishing token cannot create a crate — publish its first version with an API token \(set CARGO_REGISTRIES_LOCAL_TOKEN and run publish once\)/,
    );
    expect(oidc.issued()).toBe(0);
    expect(fx.registry.uploads().size).toBe(names.length - 2);
  });
});
