// The tag workflow from the tag to the finish (issue 13, "Must show"), through real
// nx and the BUILT plugin on the sample: at tag v5.0.0, release:publish with crates.io
// trusted publishing against the local registry (OIDC stand-in; a short renewal
// threshold forces at least two mints), then release:github-release with two assets on
// the GitHub stand-in; then a re-run of both, which uploads and creates nothing. No
// JWT or token shows in the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn } from '@crate-train/github-stand-in';
import { buildPublishBody, startLocalRegistry, startOidcStandIn, writeCargoConfig } from '@crate-train/local-registry';
import { copySample, git, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

const GITHUB_TOKEN = 'ghp_tagToFinishToken0123456789abcdef';
const REPO = 'example/wasmtime';

describe('the tag workflow: publish with trusted publishing, then the GitHub release', () => {
  it('publishes the sample minting tokens as they age, releases v5.0.0 with two assets; re-running both changes nothing', async () => {
    const oidc = await startOidcStandIn({ repository: REPO });
    const registry = await startLocalRegistry({
      dir: tmp.make('ttf-registry'),
      indexDelayMs: 200,
      rateLimit: false,
      trustedPublishing: { issuer: oidc.issuer() },
    });
    const github = await startGitHubStandIn({ repos: {}, token: GITHUB_TOKEN });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('ttf-cargo-home') });
      const dir = copySample(tmp.make('ttf'));
      await installPlugin(dir, { registry: 'local', github: { repository: REPO } });
      const { origin } = await initRepoWithOrigin(dir);
      github.addRepo(REPO, origin);
      await git(dir, 'tag', 'v5.0.0');
      await git(dir, 'push', '-q', 'origin', 'v5.0.0');

      // A trusted-publishing token cannot create a crate: each exists with an earlier version.
      const crates = JSON.parse((await runNx(dir, ['show', 'projects', '--projects=tag:crate:published', '--json'])).stdout) as string[];
      for (const name of crates) {
        const body = buildPublishBody({ name, vers: '0.0.1', deps: [], features: {}, description: 'seed', license: 'MIT' }, Buffer.from(name));
        expect((await fetch(`${registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: registry.token }, body })).status).toBe(200);
      }

      // The tag job's environment: OIDC variables, no registry token, the release bot's GitHub token.
      const env = { CARGO_HOME: cargo.cargoHome, CARGO_NET_OFFLINE: 'false', ...oidc.env(), GITHUB_TOKEN, GITHUB_API_URL: github.url };
      const publish = ['run', 'release:publish', '--concurrency=4', '--pollIntervalMs=50', '--renewTokenAfterMs=300'];
      const release = ['run', 'release:github-release', '--tag=v5.0.0', '--assets=dist/*.tar.xz,dist/*-src.tar.gz'];

      const published = await runNx(dir, publish, { env, reject: false });
      expect(published.exitCode).toBe(0);
      expect(published.stdout).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped/);
      expect(registry.trustedPublishing()!.minted).toBeGreaterThanOrEqual(2);

      // The CI job's build artifacts (never committed, ignored by git: the tree stays clean for publish's re-run).
      writeFileSync(join(dir, '.git', 'info', 'exclude'), 'dist/\n');
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'wasmtime-v5.0.0-x86_64-linux.tar.xz'), 'linux build\n');
      writeFileSync(join(dir, 'dist', 'wasmtime-v5.0.0-src.tar.gz'), 'sources\n');
      const released = await runNx(dir, release, { env, reject: false });
      expect(released.exitCode).toBe(0);
      expect(released.stdout).toContain('assets uploaded 2, replaced 0, already there 0');
      expect(github.releases(REPO)).toHaveLength(1);
      expect(github.releases(REPO)[0]).toMatchObject({ tagName: 'v5.0.0', prerelease: false, latest: true });
      expect(
        github
          .assets(REPO)
          .map((a) => a.name)
          .sort(),
      ).toEqual(['wasmtime-v5.0.0-src.tar.gz', 'wasmtime-v5.0.0-x86_64-linux.tar.xz']);

      const uploads = new Map(registry.uploads());
      const githubWrites = github.state.requests.filter((q) => q.method !== 'GET').length;
      const republished = await runNx(dir, publish, { env, reject: false });
      expect(republished.exitCode).toBe(0);
      expect(republished.stdout).toMatch(/0 uploaded, 11 already published, 0 failed, 0 skipped/);
      const rereleased = await runNx(dir, release, { env, reject: false });
      expect(rereleased.exitCode).toBe(0);
      expect(rereleased.stdout).toContain('release v5.0.0: unchanged');
      expect(rereleased.stdout).toContain('assets uploaded 0, replaced 0, already there 2');
      expect(registry.uploads()).toEqual(uploads);
      expect(github.state.requests.filter((q) => q.method !== 'GET').length).toBe(githubWrites);
      expect(github.releases(REPO)).toHaveLength(1);

      const printed = [published, released, republished, rereleased].map((r) => r.stdout + r.stderr).join('\n');
      for (const secret of [GITHUB_TOKEN, oidc.requestToken, ...oidc.jwts()]) expect(printed).not.toContain(secret);
      expect(printed).not.toMatch(/crt_tp_[A-Za-z0-9]/);
    } finally {
      await github.stop();
      await registry.stop();
      await oidc.stop();
    }
  });
});
