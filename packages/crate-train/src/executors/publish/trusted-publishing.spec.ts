// release:publish with crates.io trusted publishing, in process: what the executor
// prints when the OIDC endpoint refuses, when the registry refuses the JWT, when a
// token expires mid-run (it mints again and goes on) and in a dry run — every line
// through the executor's redaction, no JWT or token in any of them. The run through
// real nx is trusted-publishing.nx.spec.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublishBody, startLocalRegistry, startOidcStandIn, writeCargoConfig, type LocalRegistry, type OidcStandIn } from '@crate-train/local-registry';
import { runWithEnv, copySample, executorContext, tempDirs } from '@crate-train/testing';
import { planWorkspace } from '@crate-train/registry';
import runExecutor from './executor';

// Real cargo packaging and uploads of the sample.
jest.setTimeout(60_000);

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('release:publish with trusted publishing (executor)', () => {
  let oidc: OidcStandIn;
  let registry: LocalRegistry;
  let env: Record<string, string | undefined>;
  let dir: string;
  let CRATES: string[];
  const FAST = { pollIntervalMs: 50, backoffMs: 100, rateLimits: 'none' as const };

  beforeEach(async () => {
    oidc = await startOidcStandIn();
    registry = await startLocalRegistry({
      dir: tmp.make('tp-exec-registry'),
      indexDelayMs: 150,
      rateLimit: false,
      trustedPublishing: { issuer: oidc.issuer() },
    });
    const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('tp-exec-cargo-home') });
    env = { CARGO_HOME: cargo.cargoHome, CARGO_NET_OFFLINE: 'false', CARGO_REGISTRIES_LOCAL_TOKEN: undefined, ...oidc.env() };
    dir = copySample(tmp.make('tp-exec'));
    CRATES = planWorkspace(dir).crates.map((c) => c.name);
    writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { registry: 'local' } }] }));
  });
  afterEach(async () => {
    await registry.stop();
    await oidc.stop();
  });

  async function seed(names?: string[]): Promise<void> {
    for (const name of names ?? CRATES) {
      const body = buildPublishBody({ name, vers: '0.0.1', deps: [], features: {}, description: 'seed', license: 'MIT' }, Buffer.from(name));
      expect((await fetch(`${registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: registry.token }, body })).status).toBe(200);
    }
  }

  const noSecrets = (text: string) => {
    for (const s of [...oidc.jwts(), oidc.requestToken]) expect(text).not.toContain(s);
    expect(text).not.toMatch(/crt_tp_[0-9a-f]{8}/);
  };

  it('a token that expires mid-run: the registry refuses it, a new one is minted, the run finishes with nothing lost', async () => {
    await seed();
    registry.setTrustedTokenLifetime(400);
    const r = await runWithEnv(env, () => runExecutor({ concurrency: 4, ...FAST }, executorContext(dir, 'publish')));
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(r.out).toContain('trusted publishing: token 1 minted (GitHub OIDC token exchanged at the registry); a fresh one is minted every 25 min');
    expect(r.out).toMatch(/trusted publishing: token \d+ minted \(the registry refused the previous one as expired\)/);
    expect(r.out).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped/);
    expect(r.out).toMatch(/trusted publishing: \d+ tokens? revoked(, \d+ already expired)?\n/);
    for (const [key, n] of registry.uploads()) expect([key, n]).toEqual([key, 1]);
    expect(registry.trustedPublishing()!.live).toBe(0);
    noSecrets(r.out + r.err);
  });

  it('the OIDC endpoint refusing mid-run: the run stops saying why, with what was uploaded; a re-run finishes, nothing uploaded twice', async () => {
    await seed();
    registry.setTrustedTokenLifetime(400);
    // Once the first real version is stored, GitHub stops issuing OIDC tokens: the next mint fails.
    const watch = setInterval(() => {
      if (registry.uploads().size > CRATES.length) oidc.refuseWith(403);
    }, 10);
    let r: Awaited<ReturnType<typeof runExecutor>> & { out: string; err: string };
    try {
      r = await runWithEnv(env, () => runExecutor({ concurrency: 4, ...FAST }, executorContext(dir, 'publish')));
    } finally {
      clearInterval(watch);
    }
    expect(r.success).toBe(false);
    expect(r.err).toMatch(
      /^warning: trusted publishing: minting token \d+ failed: GitHub's OIDC token endpoint .* answered 403: .* — no new uploads start; re-run to resume\n/,
    );
    expect(r.err).toMatch(
      /\nerror: no new trusted-publishing token could be minted: \d+ uploaded, \d+ not started — re-run to resume; crates already published are skipped\n/,
    );
    expect(r.err).toMatch(/\nerror: trusted publishing: GitHub's OIDC token endpoint .* answered 403/);
    const firstRun = registry.uploads().size - CRATES.length;
    expect(firstRun).toBeGreaterThan(0);
    expect(firstRun).toBeLessThan(CRATES.length);
    expect(registry.trustedPublishing()!.live).toBe(0);
    noSecrets(r.out + r.err);

    oidc.refuseWith(undefined);
    const again = await runWithEnv(env, () => runExecutor({ concurrency: 4, ...FAST }, executorContext(dir, 'publish')));
    expect(again.success).toBe(true);
    expect(again.out).toContain(`${CRATES.length - firstRun} uploaded, ${firstRun} already published, 0 failed, 0 skipped`);
    for (const [key, n] of registry.uploads()) expect([key, n]).toEqual([key, 1]);
    expect(registry.uploads().size).toBe(2 * CRATES.length);
    noSecrets(again.out + again.err);
  });

  it('an OIDC endpoint answering 403: one error saying what the job needs, nothing uploaded', async () => {
    await seed();
    oidc.refuseWith(403);
    const r = await runWithEnv(env, () => runExecutor({ ...FAST }, executorContext(dir, 'publish')));
    expect(r.success).toBe(false);
    expect(r.err).toMatch(
      /^error: GitHub's OIDC token endpoint \(ACTIONS_ID_TOKEN_REQUEST_URL, http:\/\/127\.0\.0\.1:\d+\/token\) answered 403: Can't issue ID_TOKEN for audience crates\.io — the publish job needs `permissions: id-token: write` \(and, for crates\.io, the environment its trusted publisher names\)\n$/,
    );
    expect(registry.uploads().size).toBe(CRATES.length);
    noSecrets(r.out + r.err);
  });

  it('a registry refusing the JWT: its answer and the fix, nothing uploaded, no token minted', async () => {
    await seed();
    const fork = await startOidcStandIn({ repository: 'someone/fork' });
    try {
      const r = await runWithEnv({ ...env, ...fork.env() }, () => runExecutor({ ...FAST }, executorContext(dir, 'publish')));
      expect(r.success).toBe(false);
      expect(r.err).toMatch(
        /^error: registry `local` refused the GitHub OIDC token \(POST \/api\/v1\/trusted_publishing\/tokens answered 400: Failed to decode JWT: InvalidSignature\) — add a trusted publisher for this repository, workflow and environment in each crate's settings/,
      );
      expect(registry.trustedPublishing()).toMatchObject({ minted: 0, refusedJwts: 1 });
      expect(registry.uploads().size).toBe(CRATES.length);
      for (const s of fork.jwts()) expect(r.out + r.err).not.toContain(s);
      noSecrets(r.out + r.err);
    } finally {
      await fork.stop();
    }
  });

  it('--maxCrateBytes: a package over the limit stops the run before the first upload, naming the crate and its size; the token is revoked', async () => {
    await seed();
    const r = await runWithEnv(env, () => runExecutor({ maxCrateBytes: 4000, ...FAST }, executorContext(dir, 'publish')));
    expect(r.success).toBe(false);
    expect(r.err).toMatch(
      /^error: publish stopped before the first upload: 1 crate cannot be published, so nothing was uploaded\n {2}- wasmtime-cli 5\.0\.0: the package is \d+\.\d KiB; `local` accepts at most 3\.9 KiB/,
    );
    expect(registry.uploads().size).toBe(CRATES.length);
    expect(registry.trustedPublishing()).toMatchObject({ minted: 1, revoked: 1, live: 0 });
    noSecrets(r.out + r.err);
  });

  it('--dry-run: says it would use trusted publishing and which crates it could not create; mints nothing', async () => {
    await seed(CRATES.filter((c) => c !== 'cranelift-entity'));
    const r = await runWithEnv(env, () => runExecutor({ dryRun: true, ...FAST }, executorContext(dir, 'publish')));
    expect(r.success).toBe(true);
    expect(r.out).toContain('trusted publishing: would mint tokens through ACTIONS_ID_TOKEN_REQUEST_URL (CARGO_REGISTRIES_LOCAL_TOKEN is not set)');
    expect(r.out).toContain("rate-limit plan at crates.io's limits: 10 new versions within the burst of 30; 1 new crate within the burst of 5 — no wait");
    expect(r.err).toContain(
      'warning: publish would stop: cranelift-entity 0.92.0: not on `local` yet, and a trusted-publishing token cannot create a crate — publish its first version with an API token',
    );
    expect(oidc.issued()).toBe(0);
  });
});
