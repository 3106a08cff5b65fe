import { captureOutput, git, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import { sampleRepo } from '../../testing/executor-repo';

afterAll(() => removeTempDirs());

const remoteSha = (origin: string, ref: string) => git(origin, 'rev-parse', '--verify', '--quiet', ref).catch(() => undefined);

describe('branch-cut executor', () => {
  it('dry run, --no-push, push, re-run: release-5.0.0 at the head of main, once', async () => {
    const { dir, origin, context } = await sampleRepo();
    const head = await git(dir, 'rev-parse', 'HEAD');
    const dry = await captureOutput(() => runExecutor({ dryRun: true }, context));
    expect(dry.out).toContain(`would push main (${head.slice(0, 10)}) to origin/release-5.0.0`);
    expect(await remoteSha(origin, 'refs/heads/release-5.0.0')).toBeUndefined();

    const local = await captureOutput(() => runExecutor({ push: false }, context));
    expect(local.out).toContain('created the local branch release-5.0.0');
    expect(await git(dir, 'rev-parse', 'release-5.0.0')).toBe(head);
    expect(await remoteSha(origin, 'refs/heads/release-5.0.0')).toBeUndefined();

    // Pushing a branch needs no GitHub token.
    const pushed = await captureOutput(() => runExecutor({}, context));
    expect(pushed.success).toBe(true);
    expect(await remoteSha(origin, 'refs/heads/release-5.0.0')).toBe(head);
    const again = await captureOutput(() => runExecutor({}, context));
    expect(again.success).toBe(true);
    expect(again.out).toContain('release-5.0.0 already exists on origin');
  });

  it('refuses when the local main is behind the remote', async () => {
    const { dir, origin, context } = await sampleRepo();
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'next');
    await git(dir, 'push', '-q', 'origin', 'main');
    await git(dir, 'reset', '-q', '--hard', 'HEAD^');
    const r = await captureOutput(() => runExecutor({}, context));
    expect(r.success).toBe(false);
    expect(r.err).toMatch(/The local main \([0-9a-f]{10}\) is not the same commit as origin\/main \([0-9a-f]{10}\): pull \(or push\)/);
    expect(await remoteSha(origin, 'refs/heads/release-5.0.0')).toBeUndefined();
  });
});
