// End to end with real cargo and the local registry: the sample workspace published,
// resumed, under injected faults, and where `cargo publish --workspace` gives up.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { makeTempDir, removeTempDirs } from '@crate-train/testing';
import { buildPublishBody, indexFilePath } from '@crate-train/local-registry';
import { writeScratchCrate } from '@crate-train/local-registry/testing';
import { CRATES_IO_RATE_LIMITS, formatEvent, publishWorkspace, resolveRegistry, scaleRateLimits } from './index';
import { cargoUploader } from './cargo-publish';
import { type PublishEvent } from './scheduler';
import { type PublishWorkspaceOptions } from './publish-workspace';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

const TEAM = 'github:bytecodealliance:wasmtime-publish';

function options(fx: RegistryFixture, root: string, extra: Partial<PublishWorkspaceOptions> = {}): PublishWorkspaceOptions {
  return { workspaceRoot: root, registry: 'local', env: fx.env, pollIntervalMs: 50, backoffMs: 100, concurrency: 4, rateLimits: 'none', ...extra };
}

async function indexLine(fx: RegistryFixture, name: string, version: string): Promise<{ cksum: string; vers: string } | undefined> {
  const r = await fetch(`${fx.registry.url}/index/${indexFilePath(name)}`);
  if (r.status !== 200) return undefined;
  return (await r.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.vers === version);
}

describe('publishing the sample workspace', () => {
  let fx: RegistryFixture;
  let root: string;
  beforeAll(async () => {
    fx = await registryFixture({ indexDelayMs: 300, rateLimit: { scale: 0.001 } });
    root = publishableSample();
  });
  afterAll(() => fx.stop());

  it('dry run: plans every crate, uploads nothing', async () => {
    const { report, plan } = await publishWorkspace(options(fx, root, { dryRun: true }));
    expect(report.crates.map((c) => c.outcome)).toEqual(plan.crates.map(() => 'would-publish'));
    expect(fx.registry.uploadAttempts().size).toBe(0);
  });

  it('publishes every crate once, each after its dependencies are in the index; all downloadable', async () => {
    const events: PublishEvent[] = [];
    const { report, plan } = await publishWorkspace(
      options(fx, root, { ownerTeam: TEAM, rateLimits: scaleRateLimits(CRATES_IO_RATE_LIMITS, 0.001), onEvent: (e) => events.push(e) }),
    );
    expect(report.failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.uploaded.sort()).toEqual(plan.crates.map((c) => c.name).sort());
    const byName = new Map(report.crates.map((r) => [r.name, r]));
    for (const c of plan.crates) {
      const r = byName.get(c.name)!;
      for (const d of c.deps) expect(r.startedAt!).toBeGreaterThanOrEqual(byName.get(d)!.visibleAt!);
      expect(fx.registry.uploadAttempts().get(`${c.name}@${c.version}`)).toBe(1);
      const line = await indexLine(fx, c.name, c.version);
      expect(line).toBeDefined();
      const crate = Buffer.from(await (await fetch(`${fx.registry.url}/api/v1/crates/${c.name}/${c.version}/download`)).arrayBuffer());
      expect(createHash('sha256').update(crate).digest('hex')).toBe(line!.cksum);
      const owners = await (await fetch(`${fx.registry.url}/api/v1/crates/${c.name}/owners`)).json();
      expect((owners as { users: Array<{ login: string }> }).users.map((u) => u.login)).toContain(TEAM);
    }
    // Uploads overlapped (wave 0 has four crates) and progress counted n/M.
    expect(events.filter((e) => e.type === 'upload-start' && e.running > 1).length).toBeGreaterThan(0);
    const uploaded = events.filter((e): e is Extract<PublishEvent, { type: 'uploaded' }> => e.type === 'uploaded');
    expect(uploaded.map((e) => e.n)).toEqual(plan.crates.map((_, i) => i + 1));
    expect(uploaded.every((e) => e.total === plan.crates.length)).toBe(true);
  });

  it('a dependent project resolves the published crates from the registry', async () => {
    const user = join(root, '..', 'consumer');
    await run('cargo', ['new', '--lib', '--vcs', 'none', user], { env: fx.env });
    await run('cargo', ['add', 'wasmtime@5.0.0', 'wasmtime-wasi@5.0.0'], { cwd: user, env: fx.env });
    await run('cargo', ['fetch'], { cwd: user, env: fx.env, timeoutMs: 120_000 });
    const lock = await run('cargo', ['tree', '--offline', '-e', 'normal'], { cwd: user, env: fx.env });
    expect(lock.stdout).toMatch(/wasmtime v5\.0\.0[\s\S]*cranelift-entity v0\.92\.0/);
    rmSync(user, { recursive: true, force: true });
  });

  it('a second run uploads nothing', async () => {
    const before = new Map(fx.registry.uploadAttempts());
    const { report } = await publishWorkspace(options(fx, root, { ownerTeam: TEAM }));
    expect(report.ok).toBe(true);
    expect(report.uploaded).toEqual([]);
    expect(report.alreadyPublished).toHaveLength(report.crates.length);
    expect(fx.registry.uploadAttempts()).toEqual(before);
  });
});

describe('a crate that fails', () => {
  it('takes only its dependents down; unrelated crates publish', async () => {
    // Someone else owns wasmtime-environ on the registry: its upload is refused (403,
    // not an owner), which no preflight can see and which is about this crate only.
    const fx = await registryFixture({ rateLimit: false, users: [{ login: 'someone-else', token: 'crt_someone_else' }] });
    try {
      const root = publishableSample();
      const squat = await fetch(`${fx.registry.url}/api/v1/crates/new`, {
        method: 'PUT',
        headers: { authorization: 'crt_someone_else' },
        body: buildPublishBody({ name: 'wasmtime-environ', vers: '0.0.1', deps: [], features: {}, description: 'squatted', license: 'MIT' }, Buffer.from('x')),
      });
      expect(squat.status).toBe(200);
      const { report } = await publishWorkspace(options(fx, root));
      expect(report.ok).toBe(false);
      expect(report.failed).toEqual(['wasmtime-environ']);
      expect(report.crates.find((c) => c.name === 'wasmtime-environ')!.error).toMatch(/403 Forbidden\): this crate exists but you don't seem to be an owner/);
      expect(report.skipped.sort()).toEqual(['wasmtime', 'wasmtime-cli', 'wasmtime-cli-flags', 'wasmtime-wasi', 'winch-codegen']);
      expect(report.crates.find((c) => c.name === 'winch-codegen')!.error).toBe('dependency wasmtime-environ failed');
      expect(report.uploaded.sort()).toEqual(['cranelift-codegen', 'cranelift-codegen-meta', 'cranelift-entity', 'pulley-interpreter', 'wasmtime-fiber']);
    } finally {
      await fx.stop();
    }
  });
});

describe('under injected faults', () => {
  it('20% of registry requests fail (500, 429, hang; some after the upload was stored): every crate published exactly once', async () => {
    const fx = await registryFixture({
      indexDelayMs: 200,
      rateLimit: false,
      faults: { rate: 0.2, seed: 42, kinds: ['500', '429', 'hang'], hangMs: 20_000, retryAfterMs: 400, afterCommitShare: 0.5 },
    });
    try {
      const root = publishableSample();
      const { report, plan } = await publishWorkspace(
        options(fx, root, {
          http: { timeoutMs: 1000, attempts: 10, backoffMs: 50, maxBackoffMs: 500 },
          cargoHttpTimeoutSecs: 1,
          cargoNetRetry: 1,
          maxAttempts: 20,
          backoffMs: 50,
          maxBackoffMs: 500,
        }),
      );
      expect(report.failed).toEqual([]);
      expect(report.ok).toBe(true);
      const injected = fx.registry.faultsInjected();
      expect(injected['500']).toBeGreaterThan(0);
      expect(injected['429']).toBeGreaterThan(0);
      expect(injected.hang).toBeGreaterThan(0);
      for (const c of plan.crates) {
        expect([c.name, fx.registry.uploads().get(`${c.name}@${c.version}`)]).toEqual([c.name, 1]);
        expect([c.name, fx.registry.uploadAttempts().get(`${c.name}@${c.version}`)]).toEqual([c.name, 1]);
      }
      fx.registry.setFaults(undefined);
      for (const c of plan.crates) expect(await indexLine(fx, c.name, c.version)).toBeDefined();
    } finally {
      await fx.stop();
    }
  });
});

describe('where cargo publish --workspace gives up', () => {
  it('stops at a 429 and then at an already-published version; crate-train completes the release', async () => {
    // New crates: burst 5, then one per 2 s.
    const fx = await registryFixture({ indexDelayMs: 100, rateLimit: { scale: 2000 / 600_000 } });
    try {
      const root = publishableSample();
      const cargoWs = await run('cargo', ['publish', '--workspace', '--registry', 'local', '--no-verify'], {
        cwd: root,
        env: fx.env,
        reject: false,
        timeoutMs: 170_000,
      });
      expect(cargoWs.exitCode).not.toBe(0);
      expect(cargoWs.stderr).toMatch(/429 Too Many Requests/);
      const afterCargo = fx.registry.uploads().size;
      expect(afterCargo).toBe(5);
      const again = await run('cargo', ['publish', '--workspace', '--registry', 'local', '--no-verify'], {
        cwd: root,
        env: fx.env,
        reject: false,
        timeoutMs: 170_000,
      });
      expect(again.exitCode).not.toBe(0);
      expect(again.stderr).toMatch(/already exists on `local` index/);

      const events: Array<{ at: number; e: PublishEvent }> = [];
      const { report } = await publishWorkspace(
        options(fx, root, { rateLimits: scaleRateLimits(CRATES_IO_RATE_LIMITS, 2000 / 600_000), onEvent: (e) => events.push({ at: Date.now(), e }) }),
      );
      expect(report.ok).toBe(true);
      expect(report.alreadyPublished).toHaveLength(5);
      expect(report.uploaded).toHaveLength(report.crates.length - 5);
      // cargo spent the registry's bucket, so crate-train met a real 429 (its model
      // assumed a full bucket) and waited until the Retry-After it named, not less.
      const told = events.filter((t) => t.e.type === 'rate-limit-wait' && t.e.fromRegistry);
      expect(told.length).toBeGreaterThan(0);
      for (const t of told) {
        const w = t.e as Extract<PublishEvent, { type: 'rate-limit-wait' }>;
        const next = events.find((x) => x.at >= t.at && x.e.type === 'upload-start' && x.e.crate === w.crates[0]);
        expect(next!.at).toBeGreaterThanOrEqual(w.until);
      }
      for (const [, n] of fx.registry.uploadAttempts()) expect(n).toBe(1);
    } finally {
      await fx.stop();
    }
  });
});

describe('a long wait for the index', () => {
  it('speaks every progressIntervalMs: the crate, the time waited and the visibility timeout', async () => {
    const fx = await registryFixture({ indexDelayMs: 1500, rateLimit: false });
    try {
      const crate = writeScratchCrate(makeTempDir('progress'), { name: 'slow-to-show', version: '0.1.0' });
      const lines: string[] = [];
      const { report } = await publishWorkspace(
        options(fx, crate, {
          crateList: false,
          progressIntervalMs: 200,
          visibilityTimeoutMs: 5 * 60_000,
          onEvent: (e) => {
            if (e.type === 'still-waiting') lines.push(formatEvent(e)!);
          },
        }),
      );
      expect(report.ok).toBe(true);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines)
        expect(l).toMatch(
          /^ {2}slow-to-show 0\.1\.0: (waiting for the index for \d+\.\d s \(gives up after 5 min\)|(cargo publish|upload) running for \d+\.\d s \(stopped after 10 min\))$/,
        );
      expect(lines.some((l) => l.includes('waiting for the index'))).toBe(true);
    } finally {
      await fx.stop();
    }
  });
});

describe('the cargo uploader', () => {
  it('is done when cargo says "Uploaded": cargo’s own wait for the index is skipped', async () => {
    const fx = await registryFixture({ indexDelayMs: 10 * 60_000, rateLimit: false });
    try {
      const crate = writeScratchCrate(makeTempDir('uploader'), { name: 'up-first', version: '0.1.0' });
      const registry = resolveRegistry({ name: 'local', cwd: crate, env: fx.env });
      const upload = cargoUploader({ workspaceRoot: crate, registry, stateDir: makeTempDir('uploader-state'), env: fx.env });
      expect(await upload({ name: 'up-first', version: '0.1.0', slot: 0 })).toEqual({ kind: 'uploaded' });
      // Stored, but the index will not show it for ten minutes: cargo (60 s cap) did not wait.
      expect(fx.registry.versions('up-first')).toEqual([expect.objectContaining({ vers: '0.1.0', visible: false })]);
      // A second attempt is answered by the registry itself: already uploaded.
      expect(await upload({ name: 'up-first', version: '0.1.0', slot: 1 })).toMatchObject({ kind: 'already-exists' });
    } finally {
      await fx.stop();
    }
  });
});
