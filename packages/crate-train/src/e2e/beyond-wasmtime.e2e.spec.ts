// Beyond Wasmtime, through real nx on the BUILT plugin:
// - wasm-tools' two real release commits (tools/testing/fixtures/wasm-tools-cases):
//   init finds ci/publish.rs on its own, and `nx run release:bump` with only
//   github.repository set reproduces every Cargo.toml and Cargo.lock byte for byte;
// - the direct release model on a wasm-tools-shaped workspace (ci/publish.rs, no
//   RELEASES.md, no release branches): release:release -> merge -> tag -> publish,
//   and re-runs that change nothing;
// - a Cargo workspace with no crate list at all: the release project and its targets.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub } from '@crate-train/github';
import { startLocalRegistry, writeCargoConfig, type LocalRegistry } from '@crate-train/local-registry';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import {
  cargoMetadata,
  compareWithAfter,
  copySample,
  formatComparison,
  git,
  initRepoWithOrigin,
  installPlugin,
  loadReleaseCases,
  makeTempDir,
  matchesAfter,
  removeTempDirs,
  runNx,
  SHARED_CARGO_TARGET_DIR,
  WASM_TOOLS_CASES_DIR,
} from '@crate-train/testing';

const MARKER = '[automatically-tag-and-release-this-commit]';
const TOKEN = 'ghp_beyondWasmtime0123456789abcdef';

afterAll(removeTempDirs);

const ok = (r: { exitCode: number; stdout: string; stderr: string }) => {
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.exitCode !== 0) throw new Error(`nx failed (${r.exitCode}):\n${out}`);
  return out;
};

describe("wasm-tools' real releases through nx run release:bump", () => {
  it.each(loadReleaseCases(WASM_TOOLS_CASES_DIR).map((c) => [c.id, c] as const))(
    '%s: init finds ci/publish.rs; every manifest and Cargo.lock byte for byte',
    async (_id, c) => {
      const dir = makeTempDir(`wasm-tools-${c.id}`);
      cpSync(c.before, dir, { recursive: true });
      await installPlugin(dir, { github: { repository: 'bytecodealliance/wasm-tools' } });
      const init = ok(await runNx(dir, ['g', 'crate-train:init'], { reject: false }));
      expect(init).toContain('crate list ci/publish.rs: 18 crates to publish, no PUBLIC_CRATES, 2 API-stable.');
      expect(init).toContain('release model "direct" (there is no RELEASES.md)');
      // Found, not written: nx.json keeps only what the test set.
      expect(JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8')).plugins).toEqual([
        { plugin: 'crate-train', options: { github: { repository: 'bytecodealliance/wasm-tools' } } },
      ]);
      const release = JSON.parse(
        ok(await runNx(dir, ['show', 'project', 'release', '--json'], { reject: false }))
          .split('\n')
          .find((l) => l.startsWith('{'))!,
      );
      expect(release.root).toBe('ci');

      const kind = c.kind === 'major-bump' ? 'major' : 'patch';
      const out = ok(await runNx(dir, ['run', 'release:bump', `--kind=${kind}`], { reject: false }));
      expect(out).toContain(c.version_after);
      const result = compareWithAfter(c.after, (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p)) : undefined));
      if (!matchesAfter(result)) throw new Error(`${c.id}:\n${formatComparison(result)}`);
      expect(result.finalNewline).toEqual([]);
      expect(result.compared).toBeGreaterThan(25);
    },
  );
});

describe('the direct release model (wasm-tools) on a workspace shaped like it', () => {
  let stand: StandIn;
  let registry: LocalRegistry;
  let dir: string;
  let origin: string;
  let env: Record<string, string>;
  const repo = 'acme/wasm-kit';
  const nx = async (args: string[], e: Record<string, string> = env) => {
    const r = await runNx(dir, args, { env: e, reject: false });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(registry.token);
    return { code: r.exitCode, out };
  };
  const must = async (args: string[], e?: Record<string, string>) => {
    const r = await nx(args, e);
    if (r.code !== 0) throw new Error(`nx ${args.join(' ')} failed (${r.code}):\n${r.out}`);
    return r.out;
  };

  beforeAll(async () => {
    stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
    registry = await startLocalRegistry({ dir: makeTempDir('direct-registry'), rateLimit: false });
    const cargo = writeCargoConfig(registry, { cargoHome: makeTempDir('direct-cargo-home'), registryName: 'local' });
    dir = copySample();
    // wasm-tools' shape: the list in ci/publish.rs (no PUBLIC_CRATES), no RELEASES.md, no release branches.
    const list = readFileSync(join(dir, 'scripts', 'publish.rs'), 'utf8').replace(/const PUBLIC_CRATES[^;]*;/s, '');
    rmSync(join(dir, 'scripts'), { recursive: true });
    rmSync(join(dir, 'RELEASES.md'));
    rmSync(join(dir, 'ci'), { recursive: true, force: true });
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci', 'publish.rs'), list);
    // The afterBump hook runs after this bump too; its file joins the release commit.
    await installPlugin(dir, {
      github: { repository: repo },
      registry: 'local',
      afterBump: ['echo "$CRATE_TRAIN_OLD_VERSION -> $CRATE_TRAIN_NEW_VERSION" > bumped.txt'],
    });
    ({ origin } = await initRepoWithOrigin(dir));
    stand.addRepo(repo, origin);
    env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: stand.url, ...cargo.env, CARGO_TARGET_DIR: SHARED_CARGO_TARGET_DIR, CARGO_NET_OFFLINE: 'true' };
  });
  afterAll(async () => {
    await stand?.stop();
    await registry?.stop();
  });

  let main0: string;
  it('release:release --kind=major --dry-run shows the commit and the PR and changes nothing', async () => {
    main0 = await git(dir, 'rev-parse', 'HEAD');
    const refs = await git(origin, 'for-each-ref');
    const out = await must(['run', 'release:release', '--kind=major', '--dry-run'], {});
    expect(out).toContain('release wasm-kit 5.0.0 -> 6.0.0 (major) on main');
    expect(out).toContain('commit on ci/release-6.0.0 from main');
    expect(out).toContain(`    | ${MARKER}`);
    expect(out).toContain('pull request ci/release-6.0.0 -> main: "Release wasm-kit 6.0.0"');
    expect(await git(origin, 'for-each-ref')).toBe(refs);
    expect(stand.pulls(repo)).toHaveLength(0);
  });

  it('release:release --kind=major bumps, commits "Release wasm-kit 6.0.0" with the marker on ci/release-6.0.0 and opens the PR against main; a re-run changes nothing', async () => {
    const out = await must(['run', 'release:release', '--kind=major']);
    expect(out).toMatch(/pull request #\d+ created: Release wasm-kit 6\.0\.0 \(ci\/release-6\.0\.0 -> main\)/);
    const head = await git(origin, 'rev-parse', 'refs/heads/ci/release-6.0.0');
    expect(await git(origin, 'log', '-1', '--format=%B', head)).toBe(`Release wasm-kit 6.0.0\n\n${MARKER}`);
    expect(await git(origin, 'rev-parse', `${head}^`)).toBe(main0);
    expect(await git(origin, 'show', `${head}:Cargo.toml`)).toContain('[workspace.package]\nversion = "6.0.0"');
    expect(await git(origin, 'show', `${head}:bumped.txt`)).toBe('5.0.0 -> 6.0.0');
    expect(stand.pulls(repo).map((p) => [p.head, p.base, p.title, p.state])).toEqual([['ci/release-6.0.0', 'main', 'Release wasm-kit 6.0.0', 'open']]);
    // Again: the same commit, the same PR (updated, not duplicated).
    const again = await must(['run', 'release:release', '--kind=major']);
    expect(again).toContain('ci/release-6.0.0 is already at');
    expect(await git(origin, 'rev-parse', 'refs/heads/ci/release-6.0.0')).toBe(head);
    expect(stand.pulls(repo)).toHaveLength(1);
    // No release branch, no RELEASES.md anywhere.
    expect(await git(origin, 'for-each-ref', '--format=%(refname)', 'refs/heads/release-*')).toBe('');
    expect(await git(dir, 'rev-parse', 'HEAD')).toBe(main0);
  });

  it('merging tags v6.0.0 (release:tag), then release:publish publishes every crate at 6.0.0; re-runs of both change nothing', async () => {
    const gh = await createGitHub({ repository: repo, token: TOKEN, baseUrl: stand.url });
    await gh.mergePullRequest(stand.pulls(repo)[0].number);
    await git(dir, 'pull', '-q', '--ff-only', 'origin', 'main');
    const after = await git(dir, 'rev-parse', 'HEAD');
    const tag = await must(['run', 'release:tag', `--before=${main0}`, `--after=${after}`]);
    expect(tag).toMatch(/v6\.0\.0/);
    const tagged = await git(origin, 'rev-parse', 'refs/tags/v6.0.0^{commit}');
    expect(tagged).toBe(after);
    const retag = await must(['run', 'release:tag', `--before=${main0}`, `--after=${after}`]);
    expect(await git(origin, 'rev-parse', 'refs/tags/v6.0.0^{commit}')).toBe(tagged);
    expect(retag).toContain('tag v6.0.0 already points at');

    await git(dir, 'fetch', '-q', '--tags', 'origin');
    await git(dir, 'checkout', '-q', '--detach', 'v6.0.0');
    await must(['run', 'release:publish']);
    // Every crate of ci/publish.rs, at its version in the tag (6.0.0, and the 0.x lines' next minor).
    const listed = [...readFileSync(join(dir, 'ci', 'publish.rs'), 'utf8').matchAll(/^\s+"([a-z0-9-]+)",$/gm)].map((m) => m[1]);
    const meta = await cargoMetadata(dir);
    const want = listed.map((n) => `${n}@${meta.packages.find((p) => p.name === n)!.version}`).sort();
    expect(want).toContain('wasmtime@6.0.0');
    expect([...registry.uploads().keys()].sort()).toEqual(want);
    await must(['run', 'release:publish']);
    expect([...registry.uploads().values()].every((n) => n === 1)).toBe(true);
    await git(dir, 'checkout', '-q', 'main');
  });
});

describe('a Cargo workspace with no crate list at all', () => {
  let dir: string;
  beforeAll(async () => {
    dir = makeTempDir('no-crate-list');
    generateSyntheticWorkspace(dir, { crates: 12, lockfile: true, name: 'plain' });
    rmSync(join(dir, 'scripts'), { recursive: true });
    await installPlugin(dir);
    await initRepoWithOrigin(dir);
  });

  it('nx show projects lists release; bump --dry-run shows the diff; publish --dry-run shows the waves', async () => {
    const projects = JSON.parse(
      ok(await runNx(dir, ['show', 'projects', '--json'], { reject: false }))
        .split('\n')
        .find((l) => l.startsWith('['))!,
    ) as string[];
    expect(projects).toContain('release');
    expect(projects).toContain('plain-cli');
    const bump = ok(await runNx(dir, ['run', 'release:bump', '--kind=major', '--dry-run'], { reject: false }));
    expect(bump).toMatch(/^[-+]version = "/m);
    expect(bump).toContain('Cargo.toml');
    const publish = ok(await runNx(dir, ['run', 'release:publish', '--dry-run'], { reject: false, env: { CARGO_NET_OFFLINE: 'true' } }));
    expect(publish).toMatch(/wave 1/i);
    expect(publish).toContain('plain-cli');
    // Nothing was written.
    expect(await git(dir, 'status', '--porcelain')).toBe('');
  });
});
