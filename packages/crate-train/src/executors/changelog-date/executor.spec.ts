import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureOutput, git, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';
import { sampleRepo } from '../../testing/executor-repo';

afterAll(() => removeTempDirs());

describe('changelog-date executor', () => {
  it('on main: dates the newest release branch version with the main rule; --dry-run writes nothing', async () => {
    const { dir, context } = await sampleRepo();
    await git(dir, 'push', '-q', 'origin', 'HEAD:refs/heads/release-5.0.0', 'HEAD:refs/heads/release-4.0.0');
    const before = readFileSync(join(dir, 'RELEASES.md'), 'utf8');
    const dry = await captureOutput(() => runExecutor({ date: '2023-02-20', dryRun: true }, context));
    expect(dry.success).toBe(true);
    expect(dry.out).toContain('would write "Released 2023-02-20" for 5.0.0 into RELEASES.md (main rule)');
    expect(readFileSync(join(dir, 'RELEASES.md'), 'utf8')).toBe(before);

    const r = await captureOutput(() => runExecutor({ date: '2023-02-20' }, context));
    expect(r.success).toBe(true);
    expect(readFileSync(join(dir, 'RELEASES.md'), 'utf8')).toBe(before.replace('## 5.0.0\n\nUnreleased.\n', '## 5.0.0\n\nReleased 2023-02-20\n'));
  });

  it('on a release branch: the sed rule (the rest of the line kept) for the root version', async () => {
    const { dir, context } = await sampleRepo();
    await git(dir, 'checkout', '-q', '-b', 'release-5.0.0');
    const before = readFileSync(join(dir, 'RELEASES.md'), 'utf8');
    const r = await captureOutput(() => runExecutor({ date: '2023-02-20' }, context));
    expect(r.success).toBe(true);
    expect(readFileSync(join(dir, 'RELEASES.md'), 'utf8')).toBe(before.replace(/^Unreleased/m, 'Released 2023-02-20'));
    expect(readFileSync(join(dir, 'RELEASES.md'), 'utf8')).toContain('Released 2023-02-20.\n');
  });

  it('fails clearly for a version without a section, a bad date, or another branch', async () => {
    const { dir, context } = await sampleRepo();
    // On a branch, a version without a section is dated like Wasmtime's sed does, with a warning (requireNotes makes it an error).
    const missing = await captureOutput(() => runExecutor({ version: '9.0.0', on: 'branch', date: '2023-02-20', dryRun: true }, context));
    expect(missing.success).toBe(true);
    expect(missing.out).toContain('warning: RELEASES.md has no 9.0.0 section');
    const missingMain = await captureOutput(() => runExecutor({ version: '9.0.0', on: 'main', date: '2023-02-20' }, context));
    expect(missingMain.success).toBe(false);
    expect(missingMain.err).toContain('RELEASES.md has no section "## 9.0.0"');
    const bad = await captureOutput(() => runExecutor({ version: '5.0.0', date: '20-02-2023' }, context));
    expect(bad.success).toBe(false);
    expect(bad.err).toContain('--date=20-02-2023 is not a date: write it as YYYY-MM-DD');
    await git(dir, 'checkout', '-q', '-b', 'topic');
    const other = await captureOutput(() => runExecutor({ date: '2023-02-20' }, context));
    expect(other.err).toContain('changelog-date runs on main or a release-X.Y.Z branch (current: topic)');
    expect(await git(dir, 'status', '--porcelain')).toBe('');
  });
});
