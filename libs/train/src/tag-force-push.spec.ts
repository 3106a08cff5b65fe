import { copySample, git, initRepoWithOrigin, removeTempDirs } from '@crate-train/testing';
import { tagRelease } from './index';

// Issue 14, item 6: a tag range whose BEFORE is not an ancestor of AFTER (a
// force-push) tags nothing and says why.

afterAll(() => removeTempDirs());

it('a force-pushed release branch: nothing is tagged, and the log says why', async () => {
  const dir = copySample();
  const { origin } = await initRepoWithOrigin(dir);
  await git(dir, 'checkout', '-q', '-b', 'release-5.0.0');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'Old head');
  const before = await git(dir, 'rev-parse', 'HEAD');
  // The branch is rewritten: a release commit with the marker on another history.
  await git(dir, 'reset', '-q', '--hard', 'HEAD~1');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'Release Wasmtime 5.0.0\n\n[automatically-tag-and-release-this-commit]');
  const after = await git(dir, 'rev-parse', 'HEAD');
  await git(dir, 'push', '-q', '--force', 'origin', 'release-5.0.0');

  const r = await tagRelease({ root: dir, before, after, options: { github: { repository: 'acme/engine', tagVia: 'git' } }, env: {} });
  expect(r.action).toBe('none');
  expect(r.lines.join('\n')).toMatch(/is not an ancestor of .* the branch was force-pushed, .* Nothing is tagged/);
  expect(await git(origin, 'tag', '--list')).toBe('');
  // The same marker commit pushed normally (from its parent) is tagged.
  const normal = await tagRelease({
    root: dir,
    before: await git(dir, 'rev-parse', 'HEAD~1'),
    after,
    options: { github: { repository: 'acme/engine', tagVia: 'git' } },
    env: {},
  });
  expect(normal).toMatchObject({ action: 'created', tag: 'v5.0.0' });
});
