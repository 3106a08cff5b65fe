import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '@crate-train/proc';
import { startGitHubStandIn, makeBareRepo, type StandIn, type BareRepoFixture } from './index';
import { quietLog, failure } from './testing/spec-helpers';

type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;

describe('github stand-in: repository security advisories and their private forks', () => {
  let repo: BareRepoFixture;
  let gh: StandIn;
  let octokit: Octokit;
  const o = { owner: 'acme', repo: 'engine' };

  beforeAll(async () => {
    repo = await makeBareRepo();
    await repo.commitAndPush('release-1.0.0', { 'v.txt': '1.0.0\n' }, 'release 1.0.0', 'main');
    gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare } });
    const { Octokit } = await import('@octokit/rest');
    octokit = new Octokit({ auth: 'tok', baseUrl: gh.url, log: quietLog });
  });
  afterAll(async () => {
    await gh.stop();
    repo.cleanup();
  });

  const vulnerabilities = [
    { package: { ecosystem: 'rust' as const, name: 'engine-core' }, vulnerable_version_range: '>= 1.0.0, < 1.0.1', patched_versions: '1.0.1' },
  ];

  it('creates a draft advisory with GitHub’s fields, lists, reads and updates it', async () => {
    const { data, status } = await octokit.rest.securityAdvisories.createRepositoryAdvisory({
      ...o,
      summary: 'Out-of-bounds write in the engine',
      description: 'Details.',
      severity: 'high',
      vulnerabilities,
      cwe_ids: ['CWE-787'],
    });
    expect(status).toBe(201);
    expect(data.ghsa_id).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
    expect(data).toMatchObject({
      state: 'draft',
      summary: 'Out-of-bounds write in the engine',
      description: 'Details.',
      severity: 'high',
      cwe_ids: ['CWE-787'],
      html_url: `${gh.url}/acme/engine/security/advisories/${data.ghsa_id}`,
      vulnerabilities: [
        {
          package: { ecosystem: 'rust', name: 'engine-core' },
          vulnerable_version_range: '>= 1.0.0, < 1.0.1',
          patched_versions: '1.0.1',
          vulnerable_functions: null,
        },
      ],
      private_fork: null,
    });
    const list = await octokit.rest.securityAdvisories.listRepositoryAdvisories({ ...o, state: 'draft' });
    expect(list.data.map((a) => a.ghsa_id)).toEqual([data.ghsa_id]);
    expect((await octokit.rest.securityAdvisories.listRepositoryAdvisories({ ...o, state: 'published' })).data).toEqual([]);
    const got = await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...o, ghsa_id: data.ghsa_id });
    expect(got.data.summary).toBe('Out-of-bounds write in the engine');
    const upd = await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...o, ghsa_id: data.ghsa_id, severity: 'critical', cve_id: 'CVE-2099-0001' });
    expect(upd.data).toMatchObject({ severity: 'critical', cve_id: 'CVE-2099-0001', state: 'draft' });
    expect(await failure(octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...o, ghsa_id: 'GHSA-2222-3333-4444' }))).toMatchObject({ status: 404 });
  });

  it('validates like GitHub: 422 on a missing summary or an unknown ecosystem', async () => {
    const missing = await failure(octokit.request('POST /repos/{owner}/{repo}/security-advisories', { ...o, description: 'd', vulnerabilities } as never));
    expect(missing).toMatchObject({ status: 422, data: { message: expect.stringContaining('"summary" wasn\'t supplied') } });
    const eco = await failure(
      octokit.request('POST /repos/{owner}/{repo}/security-advisories', {
        ...o,
        summary: 's',
        description: 'd',
        vulnerabilities: [{ package: { ecosystem: 'cargo', name: 'x' } }],
      } as never),
    );
    expect(eco.status).toBe(422);
  });

  it('creates the temporary private fork as a new bare repo that git can push to', async () => {
    const [adv] = gh.advisories('acme/engine');
    const { data: fork, status } = await octokit.rest.securityAdvisories.createFork({ ...o, ghsa_id: adv.ghsaId });
    expect(status).toBe(202);
    const name = `engine-${adv.ghsaId.toLowerCase()}`;
    expect(fork).toMatchObject({ name, full_name: `acme/${name}`, private: true, default_branch: 'main' });
    expect(fork.clone_url).toBe(path.join(path.dirname(repo.bare), `${name}.git`));
    expect(fs.existsSync(fork.clone_url)).toBe(true);
    // Every branch of the origin is in the fork.
    const heads = await run('git', ['-C', fork.clone_url, 'for-each-ref', '--format=%(refname:short)', 'refs/heads']);
    expect(heads.stdout.split('\n').sort()).toEqual(['main', 'release-1.0.0']);

    // A fix pushed to the fork lands there and not on the public origin.
    await repo.git(['remote', 'add', 'private', fork.clone_url]);
    const fix = await repo.commitAndPush('fix-1.0', { 'fix.txt': 'fixed\n' }, 'Fix the OOB write', 'release-1.0.0');
    await repo.git(['push', '--quiet', 'private', 'HEAD:refs/heads/fix-1.0']);
    await repo.git(['push', '--quiet', 'origin', '--delete', 'fix-1.0']);
    expect((await run('git', ['-C', fork.clone_url, 'rev-parse', 'fix-1.0'])).stdout.trim()).toBe(fix);
    expect((await repo.bareGit(['branch', '--list', 'fix-1.0'])).trim()).toBe('');

    // The fork is a repository of the stand-in: PRs inside it work, and the advisory points at it.
    const pr = await octokit.rest.pulls.create({ owner: 'acme', repo: name, head: 'fix-1.0', base: 'release-1.0.0', title: 'Fix 1.0' });
    expect(pr.data.base.repo.private).toBe(true);
    const again = await octokit.rest.securityAdvisories.createFork({ ...o, ghsa_id: adv.ghsaId });
    expect(again.data.full_name).toBe(fork.full_name);
    const got = await octokit.rest.securityAdvisories.getRepositoryAdvisory({ ...o, ghsa_id: adv.ghsaId });
    expect(got.data.private_fork).toMatchObject({ full_name: `acme/${name}`, private: true });
  });

  it('publishes an advisory and refuses to move it back to draft', async () => {
    const [adv] = gh.advisories('acme/engine');
    const pub = await octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...o, ghsa_id: adv.ghsaId, state: 'published' });
    expect(pub.data.state).toBe('published');
    expect(pub.data.published_at).not.toBeNull();
    expect((await failure(octokit.rest.securityAdvisories.updateRepositoryAdvisory({ ...o, ghsa_id: adv.ghsaId, state: 'draft' }))).status).toBe(422);
  });
});
