import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { captureOutput, git, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import { sampleRepo } from '../../testing/executor-repo';

const TOKEN = 'ghp_prExecutorSpecToken00000';
let stand: StandIn;
const saved = { ...process.env };
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
});
afterEach(() => {
  process.env = { ...saved };
});
afterAll(async () => {
  await stand.stop();
  removeTempDirs();
});

describe('pr executor', () => {
  it('creates the PR of a pushed branch, then updates it instead of opening a duplicate', async () => {
    const { dir, origin, context } = await sampleRepo({ github: { repository: 'acme/engine', baseUrl: stand.url } });
    stand.addRepo('acme/engine', origin);
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'work');
    await git(dir, 'push', '-q', 'origin', 'HEAD:refs/heads/ci/work');

    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    const dry = await captureOutput(() => runExecutor({ head: 'ci/work', base: 'main', title: 'Work', body: 'Line one\nLine two', dryRun: true }, context));
    expect(dry.success).toBe(true);
    expect(dry.out).toContain('would open or update the pull request ci/work -> main: "Work" (dry-run)');
    expect(dry.out).toContain('    > Line two');
    const noToken = await captureOutput(() => runExecutor({ head: 'ci/work', base: 'main', title: 'Work' }, context));
    expect(noToken.success).toBe(false);
    expect(noToken.err).toContain('needs a GitHub token');

    process.env.GITHUB_TOKEN = TOKEN;
    const first = await captureOutput(() => runExecutor({ head: 'ci/work', base: 'main', title: 'Work', body: 'v1' }, context));
    expect(first.out).toMatch(/pull request #\d+ created: Work \(ci\/work -> main\)/);
    const second = await captureOutput(() => runExecutor({ head: 'ci/work', base: 'main', title: 'Work', body: 'v2' }, context));
    expect(second.out).toMatch(/pull request #\d+ updated/);
    expect(stand.pulls('acme/engine').map((p) => [p.head, p.body])).toEqual([['ci/work', 'v2']]);
    expect(first.out + second.out).not.toContain(TOKEN);

    const unpushed = await captureOutput(() => runExecutor({ head: 'ci/nowhere', base: 'main', title: 'X' }, context));
    expect(unpushed.success).toBe(false);
    expect(unpushed.err).toContain('ci/nowhere is not on origin: push it before opening its pull request');
  });
});
