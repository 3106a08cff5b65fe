// GitHub's limits and GitHub releases through the nx CLI and the BUILT plugin,
// on a copy of the sample with a bare origin and the GitHub stand-in answering
// like GitHub over its rate limits (issue 13, items 1 and 3):
// release:cut and release:tag complete after waiting out a primary rate limit
// (429), a secondary one (403) and a server error (502), printing each wait;
// then release:github-release attaches two assets, and a re-run changes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { git, removeTempDirs, runNx, setupSampleRepo } from '@crate-train/testing';

const TOKEN = 'ghp_e2eLimitsToken0123456789abcdef';
const MARKER = '[automatically-tag-and-release-this-commit]';

let stand: StandIn;
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterAll(async () => {
  await stand?.stop();
  removeTempDirs();
});

const ok = (r: { code: number; out: string }) => {
  if (r.code !== 0) throw new Error(`nx failed (${r.code}):\n${r.out}`);
  return r.out;
};

describe('GitHub over its limits, and GitHub releases, through nx run release:*', () => {
  const repo = 'bytecodealliance/wasmtime-limits';
  let dir: string;
  let origin: string;
  const nx = async (args: string[]) => {
    const r = await runNx(dir, args, { env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: stand.url }, reject: false });
    const out = r.stdout + '\n' + r.stderr;
    expect(out).not.toContain(TOKEN);
    return { code: r.exitCode, out };
  };
  const statuses = (from: number, method: string, path: string) =>
    stand.state.requests
      .slice(from)
      .filter((q) => q.method === method && q.path.split('?')[0] === path)
      .map((q) => q.status);

  beforeAll(async () => {
    ({ dir, origin } = await setupSampleRepo({ pluginOptions: { github: { repository: repo } } }));
    stand.addRepo(repo, origin);
  });

  it('release:cut completes after a primary rate limit, two secondary ones and a 502, and prints each wait', async () => {
    const from = stand.state.requests.length;
    stand.rateLimitNext({ method: 'GET', path: `/repos/${repo}` }, { kind: 'primary', retryAfter: 1 });
    stand.failNext({ method: 'GET', path: `/repos/${repo}/pulls` }, { status: 502, message: 'Bad Gateway' });
    stand.rateLimitNext({ method: 'POST', path: `/repos/${repo}/pulls` }, { kind: 'secondary', retryAfter: 1 }, 2);
    const out = ok(await nx(['run', 'release:cut', '--date=2023-02-05']));
    expect(out).toMatch(
      new RegExp(
        `GitHub: GitHub's rate limit \\(the token's hourly request quota is used up\\) on GET /repos/${repo}; waiting [1-3] s \\(until \\d\\d:\\d\\d:\\d\\d UTC\\), then retrying \\(retry 1 of 3\\)`,
      ),
    );
    expect(out).toContain(`GitHub: GitHub answered 502 on GET /repos/${repo}/pulls; retrying in 1 s (retry 1 of 3)`);
    expect(out).toMatch(
      new RegExp(`secondary rate limit \\(too many requests in a short time\\) on POST /repos/${repo}/pulls; waiting 1 s .*\\(retry 1 of 3\\)`),
    );
    expect(out).toMatch(new RegExp(`secondary rate limit .* on POST /repos/${repo}/pulls; waiting 1 s .*\\(retry 2 of 3\\)`));
    expect(out).toMatch(/pull request #\d+ created: Bump Wasmtime to 6\.0\.0/);
    expect(statuses(from, 'GET', `/repos/${repo}`).slice(0, 2)).toEqual([429, 200]);
    expect(statuses(from, 'POST', `/repos/${repo}/pulls`)).toEqual([403, 403, 201]);
    expect(stand.pulls(repo).map((p) => p.head)).toEqual(['ci/bump-to-6.0.0']);
    expect(await git(origin, 'rev-parse', 'release-5.0.0')).toBe(await git(dir, 'rev-parse', 'HEAD'));
  });

  it('release:tag completes after a secondary rate limit on the tag itself', async () => {
    await git(dir, 'checkout', '-q', '-b', 'release-5.0.0', 'origin/release-5.0.0');
    const before = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', `Release Wasmtime 5.0.0\n\n${MARKER}`);
    const after = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'push', '-q', 'origin', 'release-5.0.0');
    const from = stand.state.requests.length;
    stand.rateLimitNext({ method: 'POST', path: `/repos/${repo}/git/refs` }, { kind: 'secondary', retryAfter: 1 });
    const out = ok(await nx(['run', 'release:tag', `--before=${before}`, `--after=${after}`]));
    expect(out).toMatch(new RegExp(`secondary rate limit .* on POST /repos/${repo}/git/refs; waiting 1 s`));
    expect(statuses(from, 'POST', `/repos/${repo}/git/refs`)).toEqual([403, 201]);
    expect(await git(origin, 'rev-parse', 'refs/tags/v5.0.0')).toBe(after);
  });

  it('release:github-release attaches two assets to the v5.0.0 release; a re-run uploads and creates nothing', async () => {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'wasmtime-v5.0.0-x86_64-linux.tar.xz'), 'linux build\n');
    writeFileSync(join(dir, 'dist', 'wasmtime-v5.0.0-src.tar.gz'), 'sources\n');
    const args = ['run', 'release:github-release', '--tag=v5.0.0', '--assets=dist/*.tar.xz', '--assets=dist/*-src.tar.gz'];
    const out = ok(await nx(args));
    expect(out).toContain('notes: the "## 5.0.0" section of RELEASES.md');
    expect(out).toContain('assets uploaded 2, replaced 0, already there 0');
    const [rel] = stand.releases(repo);
    expect(rel).toMatchObject({ tagName: 'v5.0.0', prerelease: false, latest: true });
    expect(rel.body).toMatch(/^Unreleased\.\n\n### Added\n/);
    expect(
      stand
        .assets(repo)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['wasmtime-v5.0.0-src.tar.gz', 'wasmtime-v5.0.0-x86_64-linux.tar.xz']);

    const writes = stand.state.requests.filter((q) => q.method !== 'GET').length;
    const again = ok(await nx(args));
    expect(again).toContain('release v5.0.0: unchanged');
    expect(again).toContain('assets uploaded 0, replaced 0, already there 2');
    expect(stand.state.requests.filter((q) => q.method !== 'GET').length).toBe(writes);
    expect(stand.releases(repo)).toHaveLength(1);

    const missing = await nx(['run', 'release:github-release', '--tag=v5.0.0', '--assets=dist/wasmtime-v5.0.0-aarch64-macos.tar.xz']);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain('--assets=dist/wasmtime-v5.0.0-aarch64-macos.tar.xz matches no file under');
    expect(stand.state.requests.filter((q) => q.method !== 'GET').length).toBe(writes);
  });
});
