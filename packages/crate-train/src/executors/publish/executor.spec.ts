import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublishBody, startLocalRegistry, writeCargoConfig, indexFilePath, type LocalRegistry, type CargoHomeSetup } from '@crate-train/local-registry';
import { runWithEnv, commitAll, copySample, executorContext, git, tempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import runYank from '../yank-old-rcs/executor';

// Real `cargo package`/`cargo publish` to the local registry (a full publish takes about 4 s): more than Jest's default 5 s.
jest.setTimeout(30_000);

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

function pluginOptions(dir: string, opts: object): void {
  writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: opts }] }, null, 2));
}

/** Runs fn with the env a CI job would have (CARGO_HOME, token) and captures stdout/stderr. */

describe('release:publish executor', () => {
  let registry: LocalRegistry;
  let cargo: CargoHomeSetup;
  let env: Record<string, string>;
  let dir: string;
  const FAST = { pollIntervalMs: 50, backoffMs: 100, rateLimits: 'none' as const };

  beforeAll(async () => {
    registry = await startLocalRegistry({ dir: tmp.make('publish-exec-registry'), indexDelayMs: 200, rateLimit: { scale: 0.001 }, recordRequests: true });
    cargo = writeCargoConfig(registry, { cargoHome: tmp.make('publish-exec-cargo-home') });
    env = { ...cargo.env, CARGO_NET_OFFLINE: 'false' };
    dir = copySample(tmp.make('publish-exec'));
    pluginOptions(dir, { registry: 'local', ownerTeam: 'github:bytecodealliance:wasmtime-publish' });
  });
  afterAll(() => registry.stop());

  it('--dry-run prints the plan (waves, what would upload) and uploads nothing, without a token', async () => {
    const r = await runWithEnv({ CARGO_HOME: cargo.cargoHome, CARGO_REGISTRIES_LOCAL_TOKEN: '' }, () =>
      runExecutor({ dryRun: true, ...FAST }, executorContext(dir, 'publish')),
    );
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(r.out).toContain('registry: local (sparse+http://127.0.0.1:');
    expect(r.out).toContain('publish plan: 11 crates in 6 waves');
    expect(r.out).toMatch(/wave 0:\n {2}pulley-interpreter 5\.0\.0 — would upload \(new crate\)\n/);
    expect(r.out).toMatch(/ {2}wasmtime-cli 5\.0\.0 — would upload \(new crate\); after wasmtime-environ, wasmtime, wasmtime-wasi, wasmtime-cli-flags\n/);
    expect(r.out).toContain('0 already published, 11 would upload');
    expect(registry.uploadAttempts().size).toBe(0);
  });

  it('--dry-run still shows the plan when the registry cannot be reached', async () => {
    const home = tmp.make('publish-exec-dead-home');
    writeCargoConfig({ indexUrl: 'sparse+http://127.0.0.1:9/index/', token: 'unused' }, { cargoHome: home });
    const r = await runWithEnv({ CARGO_HOME: home, CARGO_REGISTRIES_LOCAL_TOKEN: '' }, () =>
      runExecutor({ dryRun: true, ...FAST }, executorContext(dir, 'publish')),
    );
    expect(r.success).toBe(true);
    expect(r.out).toMatch(
      / {2}wasmtime 5\.0\.0 — would upload; after wasmtime-environ, wasmtime-fiber, winch-codegen \(registry not asked: cannot read http:\/\/127\.0\.0\.1:9\/index\/config\.json/,
    );
  });

  it('publishes every crate with progress, waits, and a summary table; the token is never printed', async () => {
    const r = await runWithEnv(env, () => runExecutor({ concurrency: 4, ...FAST }, executorContext(dir, 'publish')));
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(r.out).toContain('registry has 0 of 11 versions already; 11 to upload');
    expect(r.out).toContain('  wasmtime waits on wasmtime-environ, wasmtime-fiber, winch-codegen\n');
    expect(r.out).toMatch(/\[1\/11\] uploaded \S+ \S+ \(\d+\.\d s\); waiting for the index/);
    expect(r.out).toMatch(/\[11\/11\] uploaded wasmtime-cli 5\.0\.0/);
    expect(r.out).toMatch(/ {2}winch-codegen 0\.3\.0 is in the index after \d+\.\d s; ready now: wasmtime\n/);
    expect(r.out).toContain('owner github:bytecodealliance:wasmtime-publish added');
    expect(r.out).toMatch(/crate {19}version {2}wave {2}result {12}tries {2}uploaded {2}in index {2}note\n/);
    // tries: 1, or more when the registry's new-crate limit (burst 5) answered 429 first.
    expect(r.out).toMatch(/\nwasmtime-cli {12}5\.0\.0 {4}5 {5}published \+owner {2}\d+ /);
    expect(r.out).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped, in \d+\.\d s/);
    expect(r.out + r.err).not.toContain(registry.token);
    for (const [key, n] of registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
    expect(registry.uploads().size).toBe(11);
  });

  it('--json on a second run: every version already published, nothing uploaded', async () => {
    const before = registry.uploadAttempts();
    const r = await runWithEnv(env, () => runExecutor({ json: true, ...FAST }, executorContext(dir, 'publish')));
    expect(r.success).toBe(true);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ ok: true, dryRun: false, uploaded: [], failed: [], registry: { name: 'local', hasToken: true } });
    expect(doc.alreadyPublished).toHaveLength(11);
    expect(doc.order[doc.order.length - 1]).toBe('wasmtime-cli');
    expect(JSON.stringify(doc)).not.toContain(registry.token);
    expect(registry.uploadAttempts()).toEqual(before);
  });

  it('a rejected token: one error naming the variable and the fix, one upload request, nothing uploaded, the token never printed', async () => {
    const fresh = await startLocalRegistry({ dir: tmp.make('publish-exec-registry-2'), rateLimit: false, recordRequests: true });
    try {
      const home = writeCargoConfig(fresh, { cargoHome: tmp.make('publish-exec-cargo-home-2') });
      const wrong = 'crt_wrong_token_0123456789abcdef';
      const r = await runWithEnv({ ...home.env, CARGO_REGISTRIES_LOCAL_TOKEN: wrong, CARGO_NET_OFFLINE: 'false' }, () =>
        runExecutor({ ...FAST }, executorContext(dir, 'publish')),
      );
      expect(r.success).toBe(false);
      expect(r.err).toBe(
        'error: registry `local` rejected the token in CARGO_REGISTRIES_LOCAL_TOKEN (403 Forbidden: this action requires authentication) — set CARGO_REGISTRIES_LOCAL_TOKEN to a valid token for `local` that may publish these crates, then run publish again; nothing was uploaded\n',
      );
      // Said once, not once per crate.
      expect((r.out + r.err).match(/rejected the token|requires authentication|FAILED|skipped/g)).toEqual(['rejected the token', 'requires authentication']);
      expect(r.out.match(/-> \S+ \S+: (cargo publish|upload)/g)).toHaveLength(1);
      expect(fresh.requests().filter((q) => q.method === 'PUT')).toHaveLength(1);
      expect(r.out + r.err).not.toContain(wrong);
      expect(fresh.uploadAttempts().size).toBe(0);
    } finally {
      await fresh.stop();
    }
  });

  it('refuses to publish without a token, naming the variable to set', async () => {
    const r = await runWithEnv({ CARGO_HOME: cargo.cargoHome, CARGO_REGISTRIES_LOCAL_TOKEN: '', CARGO_REGISTRY_TOKEN: '' }, () =>
      runExecutor({ ...FAST }, executorContext(dir, 'publish')),
    );
    expect(r.success).toBe(false);
    expect(r.err).toBe(
      'error: no token for registry `local`: set CARGO_REGISTRIES_LOCAL_TOKEN in the environment — crate-train never takes a token on the command line\n',
    );
  });

  it('CARGO_REGISTRY_TOKEN is crates.io’s: alone it does not publish to `local`; refused, naming the variable, and `local` never receives it', async () => {
    const ciToken = 'cio_crates_io_token_for_crates_io_only_42';
    const seen = registry.requests().length;
    const r = await runWithEnv({ CARGO_HOME: cargo.cargoHome, CARGO_REGISTRIES_LOCAL_TOKEN: '', CARGO_REGISTRY_TOKEN: ciToken }, () =>
      runExecutor({ ...FAST }, executorContext(dir, 'publish')),
    );
    expect(r.success).toBe(false);
    expect(r.err).toBe(
      'error: no token for registry `local`: set CARGO_REGISTRIES_LOCAL_TOKEN in the environment — crate-train never takes a token on the command line (CARGO_REGISTRY_TOKEN is set, but belongs to another registry: a token goes only to its own registry, as with cargo)\n',
    );
    expect(JSON.stringify(registry.requests().slice(seen))).not.toContain(ciToken);
    expect(JSON.stringify(registry.requests())).not.toContain(ciToken);
  });

  it('a dirty tree: the preflight names the crate, the file and the fix before anything uploads; nothing is uploaded', async () => {
    const fresh = await startLocalRegistry({ dir: tmp.make('publish-exec-registry-dirty'), rateLimit: false, recordRequests: true });
    try {
      const home = writeCargoConfig(fresh, { cargoHome: tmp.make('publish-exec-cargo-home-dirty') });
      const repo = copySample(tmp.make('publish-exec-dirty'));
      pluginOptions(repo, { registry: 'local' });
      await git(repo, 'init', '-q', '-b', 'main');
      await commitAll(repo, 'Release Wasmtime 5.0.0');
      appendFileSync(join(repo, 'crates/fiber/src/lib.rs'), '// not committed\n');
      const r = await runWithEnv({ ...home.env, CARGO_NET_OFFLINE: 'false' }, () => runExecutor({ ...FAST }, executorContext(repo, 'publish')));
      expect(r.success).toBe(false);
      expect(r.err).toBe(
        [
          'error: publish stopped before the first upload: 1 crate cannot be published, so nothing was uploaded',
          '  - wasmtime-fiber 5.0.0: uncommitted changes in crates/fiber/src/lib.rs — commit them, or pass --allow-dirty to publish the working files as they are',
          'Fix these and run publish again; crates already on the registry are skipped.',
          '',
        ].join('\n'),
      );
      expect(r.out).toContain('checking the 11 crates to upload before the first upload (cargo package)\n');
      expect(r.out).not.toContain('cargo publish');
      expect(fresh.requests().filter((q) => q.method === 'PUT')).toEqual([]);
      expect(fresh.uploadAttempts().size).toBe(0);
    } finally {
      await fresh.stop();
    }
  });

  it('yank-old-rcs yanks release candidates a newer release supersedes (dry run first)', async () => {
    for (const vers of ['4.0.0-rc.1', '5.0.0-rc.1', '5.0.0-rc.2', '6.0.0-rc.1']) {
      const res = await fetch(`${registry.url}/api/v1/crates/new`, {
        method: 'PUT',
        headers: { authorization: registry.token },
        body: buildPublishBody({ name: 'wasmtime', vers, deps: [], features: {}, description: 'rc', license: 'MIT' }, Buffer.from(vers)),
      });
      expect(res.status).toBe(200);
    }
    const dry = await runWithEnv(env, () => runYank({ dryRun: true }, executorContext(dir, 'yank-old-rcs')));
    expect(dry.success).toBe(true);
    expect(dry.out).toContain('would yank wasmtime 4.0.0-rc.1 (superseded by 5.0.0)\n');
    expect(dry.out).toContain('would yank wasmtime 5.0.0-rc.2 (superseded by 5.0.0)\n');
    expect(dry.out).not.toContain('6.0.0-rc.1');
    expect(registry.versions('wasmtime').filter((v) => v.yanked)).toEqual([]);
    const real = await runWithEnv(env, () => runYank({}, executorContext(dir, 'yank-old-rcs')));
    expect(real.success).toBe(true);
    expect(real.out).toContain('3 of 3 superseded release candidates yanked');
    expect(real.out + real.err).not.toContain(registry.token);
    await new Promise((r) => setTimeout(r, 300)); // the rc versions reach the index after its 200 ms delay
    const index = (await (await fetch(`${registry.url}/index/${indexFilePath('wasmtime')}`)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      index
        .filter((l: { yanked: boolean }) => l.yanked)
        .map((l: { vers: string }) => l.vers)
        .sort(),
    ).toEqual(['4.0.0-rc.1', '5.0.0-rc.1', '5.0.0-rc.2']);
    const again = await runWithEnv(env, () => runYank({}, executorContext(dir, 'yank-old-rcs')));
    expect(again.out).toContain('no superseded release candidates among 11 crates');
  });
});

describe('release:publish --uploader=cargo', () => {
  it('uploads each crate with its own cargo publish, as before the direct uploader', async () => {
    const registry = await startLocalRegistry({ dir: tmp.make('publish-cargo-registry'), indexDelayMs: 100, rateLimit: false });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('publish-cargo-home') });
      const dir = copySample(tmp.make('publish-cargo'));
      pluginOptions(dir, { registry: 'local' });
      const r = await runWithEnv({ ...cargo.env, CARGO_NET_OFFLINE: 'false' }, () =>
        runExecutor({ uploader: 'cargo', pollIntervalMs: 50, backoffMs: 100, rateLimits: 'none', concurrency: 4 }, executorContext(dir, 'publish')),
      );
      expect(r.success).toBe(true);
      expect(r.out.match(/-> \S+ \S+: cargo publish\n/g)).toHaveLength(11);
      expect(r.out).not.toMatch(/: upload\n/);
      expect(registry.uploads().size).toBe(11);
    } finally {
      await registry.stop();
    }
  });
});
