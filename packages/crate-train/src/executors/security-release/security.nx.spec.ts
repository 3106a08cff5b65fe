// End to end through the nx CLI and the BUILT plugin: `nx g crate-train:security-advisory`
// and `nx run release:security-release` on a copy of the sample with three release
// branches, a bare origin and the GitHub stand-in.
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { readAdvisoryPlan } from '@crate-train/security';
import { git, removeTempDirs, runNx } from '@crate-train/testing';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeFixes, pathsInAnyRef, sampleWithThreeReleaseBranches, TODAY } from '../../testing/security-release';

const TOKEN = 'ghs_nxsecuritytoken';
const REPO = 'example/wasmtime';
const ID = 'nx-oob';

let dir: string;
let origin: string;
let gh: StandIn;
let env: Record<string, string>;

beforeAll(async () => {
  ({ dir, origin } = await sampleWithThreeReleaseBranches({ plugin: true, pluginOptions: { github: { repository: REPO } } }));
  gh = await startGitHubStandIn({ repos: { [REPO]: origin }, token: TOKEN });
  env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url };
});
afterAll(async () => {
  await gh?.stop();
  removeTempDirs();
});

const advisoryArgs = ['g', 'crate-train:security-advisory', '--summary=Out-of-bounds write in table.grow', '--severity=high', `--today=${TODAY}`, `--id=${ID}`];

describe('security releases through nx', () => {
  it('nx g crate-train:security-advisory --dry-run prints the table and the files, and writes nothing', async () => {
    const r = await runNx(dir, [...advisoryArgs, '--github', '--dry-run'], { env });
    expect(r.stdout).toContain('Support table for 2023-03-25');
    expect(r.stdout).toMatch(/3\.0\.0\s+release-3\.0\.0\s+no\s+2023-01-25\s+2023-03-25\s+yes\s+supported until 2023-03-25/);
    expect(r.stdout).toContain(`CREATE security/${ID}/advisory.json`);
    expect(r.stdout).toContain('UPDATE .gitignore');
    expect(existsSync(join(dir, 'security'))).toBe(false);
    expect(await git(dir, 'status', '--porcelain')).toBe('');
    expect(gh.advisories(REPO)).toHaveLength(0); // --github side effects are skipped in a dry run
  });

  it('nx g crate-train:security-advisory --github scaffolds the advisory and creates the draft and its fork', async () => {
    const r = await runNx(dir, [...advisoryArgs, '--github'], { env });
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const [adv] = gh.advisories(REPO);
    expect(adv.state).toBe('draft');
    expect(readAdvisoryPlan(dir, ID).ghsa).toBe(adv.ghsaId);
    expect(r.stdout).toContain('git push advisory fix/release-3.0.0');
    await git(dir, 'commit', '-q', '-m', 'Ignore private security advisories', '--', '.gitignore');
    await git(dir, 'push', '-q', 'origin', 'main');
  });

  it('nx run release:security-release opens three patch PRs, and a re-run adds none', async () => {
    await mergeFixes(dir, ID);
    const dry = await runNx(dir, ['run', 'release:security-release', `--advisory=${ID}`, `--date=${TODAY}`, `--today=${TODAY}`, '--dry-run'], { env });
    expect(dry.stdout).toContain('[dry run]');
    expect(gh.pulls(REPO)).toHaveLength(0);

    const r = await runNx(dir, ['run', 'release:security-release', `--advisory=${ID}`, `--date=${TODAY}`, `--today=${TODAY}`], { env });
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const ghsa = readAdvisoryPlan(dir, ID).ghsa;
    expect(
      gh
        .pulls(REPO)
        .map((p) => `${p.head} -> ${p.base}: ${p.title}`)
        .sort(),
    ).toEqual([
      'ci/bump-to-3.0.1 -> release-3.0.0: Release Wasmtime 3.0.1',
      'ci/bump-to-4.0.1 -> release-4.0.0: Release Wasmtime 4.0.1',
      'ci/bump-to-5.0.1 -> release-5.0.0: Release Wasmtime 5.0.1',
    ]);
    for (const p of gh.pulls(REPO)) expect(p.body).toContain(`coordinated security release for ${ghsa}`);

    await runNx(dir, ['run', 'release:security-release', `--advisory=${ID}`, `--date=${TODAY}`, `--today=${TODAY}`], { env });
    expect(gh.pulls(REPO)).toHaveLength(3);
  });

  it('a failing branch fails the nx run and names the branch', async () => {
    const planFile = join(dir, 'security', ID, 'advisory.json');
    const text = readFileSync(planFile, 'utf8');
    const plan = JSON.parse(text);
    plan.branches[0].requiredCommits.push('a CI fix nobody merged');
    writeFileSync(planFile, JSON.stringify(plan, null, 2));
    const r = await runNx(dir, ['run', 'release:security-release', `--advisory=${ID}`, `--date=${TODAY}`], { env, reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('  - release-3.0.0: required commit missing from origin/release-3.0.0: "a CI fix nobody merged"');
    expect(gh.pulls(REPO)).toHaveLength(3);
    writeFileSync(planFile, text);
  });

  it('nothing under security/ reached the public remote or any commit', async () => {
    expect(await pathsInAnyRef(origin, 'security/')).toEqual([]);
    expect(await pathsInAnyRef(dir, 'security/')).toEqual([]);
  });
});
