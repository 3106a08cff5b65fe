import { generateOnDisk, git, removeTempDirs } from '@crate-train/testing';
import { parseRustsecFrontMatter, readAdvisoryPlan } from '@crate-train/security';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '@nx/devkit';
import generator from './generator';
import { sampleWithThreeReleaseBranches, TODAY } from '../../testing/security-release';

afterAll(() => removeTempDirs());

async function generate(dir: string, options: Parameters<typeof generator>[1]) {
  const lines: string[] = [];
  const spies = [jest.spyOn(logger, 'info'), jest.spyOn(logger, 'warn'), jest.spyOn(console, 'log')].map((s) =>
    s.mockImplementation((...a: unknown[]) => void lines.push(a.join(' '))),
  );
  try {
    const { changes } = await generateOnDisk(dir, (tree) => generator(tree, options));
    return { out: lines.join('\n'), changes };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

describe('security-advisory generator on the sample with three release branches', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await sampleWithThreeReleaseBranches());
  });

  it('prints the support table and scaffolds security/<id>/ for the supported branches', async () => {
    const { out, changes } = await generate(dir, {
      summary: 'Out-of-bounds write in table.grow',
      severity: 'high',
      affected: 'auto',
      today: TODAY,
      id: 'oob-table-grow',
      crates: 'wasmtime,cranelift-codegen',
    });
    expect(out).toContain('Support table for 2023-03-25');
    expect(out).toContain('5.0.0    release-5.0.0  no   2023-03-20  2023-05-20      yes    supported until 2023-05-20');
    expect(out).toContain('3.0.0    release-3.0.0  no   2023-01-25  2023-03-25      yes    supported until 2023-03-25');
    expect(out).toContain('Branches to patch: release-3.0.0 (3.0.0 -> 3.0.1), release-4.0.0 (4.0.0 -> 4.0.1), release-5.0.0 (5.0.0 -> 5.0.1)');
    expect(changes.sort()).toEqual(
      [
        '.gitignore',
        'security/oob-table-grow/CHECKLIST.md',
        'security/oob-table-grow/advisory.json',
        'security/oob-table-grow/advisory.md',
        'security/oob-table-grow/branches/release-3.0.0.md',
        'security/oob-table-grow/branches/release-4.0.0.md',
        'security/oob-table-grow/branches/release-5.0.0.md',
        'security/oob-table-grow/email-pre-announcement.md',
        'security/oob-table-grow/email-release-day.md',
        'security/oob-table-grow/rustsec/crates/cranelift-codegen/RUSTSEC-0000-0000.md',
        'security/oob-table-grow/rustsec/crates/wasmtime/RUSTSEC-0000-0000.md',
      ].sort(),
    );
    const plan = readAdvisoryPlan(dir, 'oob-table-grow');
    expect(plan.branches.map((b) => b.crates.map((c) => `${c.name}@${c.nextVersion}`).join(' '))).toEqual([
      'wasmtime@3.0.1 cranelift-codegen@0.90.1',
      'wasmtime@4.0.1 cranelift-codegen@0.91.1',
      'wasmtime@5.0.1 cranelift-codegen@0.92.1',
    ]);
    const rustsec = parseRustsecFrontMatter(readFileSync(join(dir, 'security/oob-table-grow/rustsec/crates/cranelift-codegen/RUSTSEC-0000-0000.md'), 'utf8'));
    expect(rustsec.versions.patched).toEqual(['>= 0.90.1, < 0.91.0', '>= 0.91.1, < 0.92.0', '>= 0.92.1']);
  });

  it('keeps security/ out of git: .gitignore and the local exclude file', async () => {
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\/security\/$/m);
    expect(readFileSync(join(dir, '.git/info/exclude'), 'utf8')).toMatch(/^\/security\/$/m);
    const status = await git(dir, 'status', '--porcelain', '--untracked-files=all');
    expect(status).toBe('M .gitignore');
    expect(await git(dir, 'add', '-A', '--dry-run')).toBe("add '.gitignore'");
    // Even with the .gitignore line reverted, the clone's own exclude file keeps security/ out.
    await git(dir, 'checkout', '-q', '--', '.gitignore');
    expect(await git(dir, 'add', '-A', '--dry-run')).toBe('');
    writeFileSync(join(dir, '.gitignore'), readFileSync(join(dir, '.gitignore'), 'utf8') + '/security/\n');
    await git(dir, 'commit', '-q', '-m', 'Ignore private security advisories', '--', '.gitignore');
  });

  it('refuses to overwrite an existing advisory unless asked', async () => {
    await expect(generate(dir, { summary: 'x', severity: 'low', today: TODAY, id: 'oob-table-grow' })).rejects.toThrow(
      'security/oob-table-grow/ already exists. Edit it by hand, pick another --id, or pass --overwrite',
    );
    const { changes } = await generate(dir, { summary: 'x', severity: 'low', today: TODAY, id: 'oob-table-grow', overwrite: true });
    expect(changes).not.toContain('.gitignore'); // already ignored: not touched again
    expect(readAdvisoryPlan(dir, 'oob-table-grow').severity).toBe('low');
  });

  it('prints JSON with --json, and follows the clock: the day after, 3.0.0 is out', async () => {
    const { out } = await generate(dir, { summary: 'y', severity: 'medium', today: '2023-03-26', id: 'later', json: true });
    const json = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1));
    expect(json.rows.map((r: { branch: string; patched: boolean }) => `${r.branch}:${r.patched}`)).toEqual([
      'release-5.0.0:true',
      'release-4.0.0:true',
      'release-3.0.0:false',
    ]);
    expect(readAdvisoryPlan(dir, 'later').branches.map((b) => b.branch)).toEqual(['release-4.0.0', 'release-5.0.0']);
  });

  it('covers the public crates by default, every published crate with --crates=all', async () => {
    expect(readAdvisoryPlan(dir, 'later').crates).toEqual(['wasmtime', 'wasmtime-wasi', 'wasmtime-cli']);
    await generate(dir, { summary: 'y', severity: 'medium', today: TODAY, id: 'all-crates', crates: 'all' });
    const plan = readAdvisoryPlan(dir, 'all-crates');
    expect(plan.crates).toHaveLength(11);
    expect(plan.crates[0]).toBe('pulley-interpreter');
    expect(existsSync(join(dir, 'security/all-crates/rustsec/crates/winch-codegen/RUSTSEC-0000-0000.md'))).toBe(true);
  });

  it('rejects bad options before writing anything', async () => {
    await expect(generate(dir, { summary: 'z', severity: 'high', today: TODAY, id: 'bad', affected: '9.0.0' })).rejects.toThrow(
      '--affected: 9.0.0 is not a release branch (known release lines: 3.0.0, 4.0.0, 5.0.0)',
    );
    await expect(generate(dir, { summary: 'z', severity: 'high', today: TODAY, id: 'bad', github: true })).rejects.toThrow(
      '--github needs the GitHub repository',
    );
    expect(existsSync(join(dir, 'security/bad'))).toBe(false);
  });
});

describe('security-advisory --github against the GitHub stand-in', () => {
  let dir: string;
  let origin: string;
  let gh: StandIn;
  const env = { ...process.env };

  beforeAll(async () => {
    ({ dir, origin } = await sampleWithThreeReleaseBranches());
    writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { github: { repository: 'example/wasmtime' } } }] }));
    gh = await startGitHubStandIn({ repos: { 'example/wasmtime': origin }, token: 'ghs_advisorytoken' });
    process.env.GITHUB_TOKEN = 'ghs_advisorytoken';
    process.env.GITHUB_API_URL = gh.url;
  });
  afterAll(async () => {
    process.env = env;
    await gh.stop();
  });

  it('creates the draft advisory and its private fork, fills in the GHSA id, and says where to push each fix', async () => {
    const { out } = await generate(dir, {
      summary: 'Use after free in the pooling allocator',
      severity: 'critical',
      today: TODAY,
      id: 'uaf',
      github: true,
      crates: 'wasmtime',
    });
    const [adv] = gh.advisories('example/wasmtime');
    expect(adv).toMatchObject({ state: 'draft', summary: 'Use after free in the pooling allocator', severity: 'critical' });
    expect(adv.vulnerabilities.map((v) => `${v.package.name} ${v.vulnerable_version_range} -> ${v.patched_versions}`)).toEqual([
      'wasmtime < 3.0.1 -> 3.0.1',
      'wasmtime >= 4.0.0, < 4.0.1 -> 4.0.1',
      'wasmtime >= 5.0.0, < 5.0.1 -> 5.0.1',
    ]);
    expect(adv.privateFork).toBeTruthy();
    const plan = readAdvisoryPlan(dir, 'uaf');
    expect(plan.ghsa).toBe(adv.ghsaId);
    expect(plan.fork?.fullName).toBe(adv.privateFork);
    const rustsec = readFileSync(join(dir, 'security/uaf/rustsec/crates/wasmtime/RUSTSEC-0000-0000.md'), 'utf8');
    expect(rustsec).toContain(`aliases = ["${adv.ghsaId}"]`);
    expect(rustsec).not.toContain('GHSA-xxxx');
    expect(readFileSync(join(dir, 'security/uaf/CHECKLIST.md'), 'utf8')).toContain(`git remote add advisory ${plan.fork!.cloneUrl}`);
    expect(out).toContain(`git remote add advisory ${plan.fork!.cloneUrl}`);
    expect(out).toContain('release-4.0.0 (-> 4.0.1): git push advisory fix/release-4.0.0');
    expect(out).not.toContain('ghs_advisorytoken');

    // The fork is a real repository the fix can be pushed to.
    await git(dir, 'push', '-q', plan.fork!.cloneUrl, 'origin/release-4.0.0:refs/heads/fix/release-4.0.0');
    expect(await git(plan.fork!.cloneUrl, 'rev-parse', 'fix/release-4.0.0')).toBe(await git(dir, 'rev-parse', 'origin/release-4.0.0'));
  });

  it('re-running reuses the same draft advisory', async () => {
    await generate(dir, {
      summary: 'Use after free in the pooling allocator',
      severity: 'critical',
      today: TODAY,
      id: 'uaf',
      github: true,
      crates: 'wasmtime',
      overwrite: true,
    });
    expect(gh.advisories('example/wasmtime')).toHaveLength(1);
  });
});
