import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureOutput, commitAll, executorContext, git, initRepoWithOrigin, makeTempDir, removeTempDirs } from '@crate-train/testing';
import runExecutor from './executor';

jest.setTimeout(20_000);
afterAll(() => removeTempDirs());

/**
 * A repository whose origin has release-1.0.0 … release-6.0.0, N.0.0 released on
 * 2024-0N-20 (its RELEASES.md says so), and an LTS every 2nd major supported 24 months.
 */
async function repo() {
  const dir = makeTempDir('supported-branches');
  const policy = { ltsEvery: 2, firstLtsMajor: 2, ltsMonths: 24, regularMonths: 2 };
  writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { supportPolicy: policy } }] }));
  writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "engine"\nversion = "7.0.0"\n');
  writeFileSync(join(dir, 'RELEASES.md'), '## 7.0.0\n\nUnreleased.\n');
  await initRepoWithOrigin(dir);
  for (let n = 1; n <= 6; n++) {
    await git(dir, 'checkout', '-q', '-b', `release-${n}.0.0`, 'main');
    writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "engine"\nversion = "${n}.0.0"\n`);
    writeFileSync(join(dir, 'RELEASES.md'), `## ${n}.0.0\n\nReleased 2024-0${n}-20.\n`);
    await commitAll(dir, `Release ${n}.0.0`);
    await git(dir, 'push', '-q', 'origin', `release-${n}.0.0`);
  }
  await git(dir, 'checkout', '-q', 'main');
  return { dir, context: executorContext(dir, 'supported-branches') };
}

describe('supported-branches executor', () => {
  it('lists the newest three and the supported LTS lines; --json prints the matrix and writes $GITHUB_OUTPUT', async () => {
    const { dir, context } = await repo();
    const table = await captureOutput(() => runExecutor({ today: '2024-06-25' }, context));
    expect(table.success).toBe(true);
    expect(table.out.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  release-6.0.0 (6.0.0): one of the newest',
      '  release-5.0.0 (5.0.0): one of the newest',
      '  release-4.0.0 (4.0.0): one of the newest',
      '  release-2.0.0 (2.0.0): LTS, supported until 2026-02-20',
    ]);

    const output = join(makeTempDir('github-output'), 'out');
    writeFileSync(output, 'earlier=1\n');
    const saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = output;
    try {
      const json = await captureOutput(() => runExecutor({ json: true, fetch: false, today: '2026-03-01' }, context));
      expect(JSON.parse(json.out)).toEqual(['release-6.0.0', 'release-5.0.0', 'release-4.0.0']);
      expect(readFileSync(output, 'utf8')).toBe('earlier=1\nbranches=["release-6.0.0","release-5.0.0","release-4.0.0"]\n');
    } finally {
      if (saved === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = saved;
    }
    expect(await git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses a day that is not a date and a typo, before reading anything', async () => {
    const { context } = await repo();
    expect((await captureOutput(() => runExecutor({ today: '2024-02-30' }, context))).err).toContain('--today=2024-02-30 is not a calendar day');
    const typo = await captureOutput(() => runExecutor({ jsn: true } as never, context));
    expect(typo.success).toBe(false);
    expect(typo.err).toContain('did you mean --json?');
  });
});
