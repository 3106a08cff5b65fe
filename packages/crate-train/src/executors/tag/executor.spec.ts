import { captureOutput, git, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import { sampleRepo } from '../../testing/executor-repo';

afterAll(() => removeTempDirs());

const MARKER = '[automatically-tag-and-release-this-commit]';

describe('tag executor with tagVia: git', () => {
  it('pushes vX.Y.Z for a marker commit, accepts a re-run, refuses a tag elsewhere; needs no token', async () => {
    const { dir, origin, context } = await sampleRepo({ github: { tagVia: 'git' } });
    const before = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', `Release Wasmtime 5.0.0\n\n${MARKER}`);
    const after = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'push', '-q', 'origin', 'HEAD:refs/heads/release-5.0.0');
    const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GH_TOKEN: process.env.GH_TOKEN };
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    try {
      const r = await captureOutput(() => runExecutor({ before, after }, context));
      expect(r.success).toBe(true);
      expect(r.out).toMatch(/tag v5\.0\.0 pushed at [0-9a-f]{10} \(git push\)/);
      expect(await git(origin, 'rev-parse', 'refs/tags/v5.0.0')).toBe(after);
      expect((await captureOutput(() => runExecutor({ before, after }, context))).out).toContain('tag v5.0.0 already points at');

      // A new branch (all-zero BEFORE): only its head is scanned.
      const zero = '0'.repeat(40);
      expect((await captureOutput(() => runExecutor({ before: zero, after: before }, context))).out).toContain('nothing to tag');

      await git(dir, 'commit', '-q', '--allow-empty', '-m', `Again\n\n${MARKER}`);
      const later = await git(dir, 'rev-parse', 'HEAD');
      const refused = await captureOutput(() => runExecutor({ before: after, after: later }, context));
      expect(refused.success).toBe(false);
      expect(refused.err).toContain('Tag v5.0.0 already exists on origin');
      expect(await git(origin, 'rev-parse', 'refs/tags/v5.0.0')).toBe(after);

      const bad = await captureOutput(() => runExecutor({ before: 'HEAD~1', after: later }, context));
      expect(bad.err).toContain('--before must be a full 40-character commit sha (got "HEAD~1")');
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
  });
});
