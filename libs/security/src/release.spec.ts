import { git, initRepoWithOrigin, tempDirs } from '@crate-train/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRequiredCommits, PatchFlow, runSecurityRelease, SecurityReleaseError } from './index';
import { hasRequiredCommit } from './release';
import { sampleContext } from './testing/sample-advisory';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

describe('the all-or-none release over real git', () => {
  let dir: string;
  let origin: string;
  let fixSha: string;

  beforeAll(async () => {
    dir = tmp.make('sec-rel');
    writeFileSync(join(dir, 'README'), 'x\n');
    ({ origin } = await initRepoWithOrigin(dir));
    for (const b of ['release-24.0.0', 'release-36.0.0', 'release-37.0.0']) {
      await git(dir, 'switch', '-q', '-c', b, 'main');
      writeFileSync(join(dir, 'README'), `${b}\n`);
      await git(dir, 'commit', '-q', '-am', `Start ${b}`);
      if (b === 'release-36.0.0') {
        writeFileSync(join(dir, 'ci.txt'), 'fixed\n');
        await git(dir, 'add', 'ci.txt');
        await git(dir, 'commit', '-q', '-m', 'Backport the CI fix for the old toolchain (#11601)');
        fixSha = await git(dir, 'rev-parse', 'HEAD');
      }
      await git(dir, 'push', '-q', 'origin', b);
    }
    await git(dir, 'switch', '-q', 'main');
    await git(dir, 'fetch', '-q', 'origin');
  });

  // A flow made of real git: prepare makes a local ci/ branch, publish pushes it.
  function flow(failOn?: string): PatchFlow<string> {
    return {
      async prepare(b) {
        if (b.branch === failOn) throw new Error(`version on ${b.branch} is 9.9.9, expected ${b.version}`);
        await checkRequiredCommits(dir, 'origin', b);
        const name = `ci/bump-to-${b.nextVersion}`;
        await git(dir, 'branch', '-f', name, `origin/${b.branch}`);
        return name;
      },
      async publish(name, b) {
        await git(dir, 'push', '-q', 'origin', `${name}:refs/heads/${name}`);
        return { branch: b.branch, version: b.nextVersion, pr: name };
      },
    };
  }

  const remoteCiBranches = async () => (await git(origin, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/ci')).split('\n').filter(Boolean);

  it('finds required commits by SHA or by message text', async () => {
    expect(await hasRequiredCommit(dir, 'origin/release-36.0.0', fixSha)).toBe(true);
    expect(await hasRequiredCommit(dir, 'origin/release-36.0.0', fixSha.slice(0, 10))).toBe(true);
    expect(await hasRequiredCommit(dir, 'origin/release-24.0.0', fixSha)).toBe(false);
    expect(await hasRequiredCommit(dir, 'origin/release-36.0.0', 'CI fix for the old toolchain')).toBe(true);
    expect(await hasRequiredCommit(dir, 'origin/release-37.0.0', 'CI fix for the old toolchain')).toBe(false);
  });

  it('publishes nothing when one branch cannot be prepared, and names every failing branch', async () => {
    const plan = sampleContext().plan;
    plan.branches[2].requiredCommits = ['CI fix for the old toolchain'];
    const err = await runSecurityRelease(plan, flow('release-24.0.0')).catch((e) => e);
    expect(err).toBeInstanceOf(SecurityReleaseError);
    expect(err.message).toBe(
      "No pull request was opened: 2 of the advisory's branches cannot be prepared:\n" +
        '  - release-24.0.0: version on release-24.0.0 is 9.9.9, expected 24.0.2\n' +
        '  - release-37.0.0: required commit missing from origin/release-37.0.0: "CI fix for the old toolchain" (merge the CI fix / the fix PR into the branch first)\n' +
        'Fix these (or edit the advisory) and run security-release again.',
    );
    expect(await remoteCiBranches()).toEqual([]);
  });

  it('publishes every branch when all prepare, and a re-run is harmless', async () => {
    const plan = sampleContext().plan;
    plan.branches[1].requiredCommits = [fixSha];
    const lines: string[] = [];
    const done = await runSecurityRelease(plan, flow(), (l) => lines.push(l));
    expect(done.map((d) => `${d.branch}->${d.version}`)).toEqual(['release-24.0.0->24.0.3', 'release-36.0.0->36.0.2', 'release-37.0.0->37.0.1']);
    expect(lines[0]).toBe('prepared release-24.0.0: 24.0.2 -> 24.0.3');
    expect(await remoteCiBranches()).toEqual(['ci/bump-to-24.0.3', 'ci/bump-to-36.0.2', 'ci/bump-to-37.0.1']);
    await runSecurityRelease(plan, flow());
    expect(await remoteCiBranches()).toHaveLength(3);
  });
});
