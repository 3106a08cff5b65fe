// The optional Nx remote cache in the generated CI workflow: only a push to the
// main or a release branch gets the write token; everything else reads, and a
// run without a token (a fork's PR) runs without the cache.
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { DEFAULT_OPTIONS, normalizeOptions } from '../../plugin/options';
import { WORKFLOW_PATHS, writeGithubWorkflows } from './ci-github';

type Step = { name?: string; if?: string; env?: Record<string, string>; run?: string };

function ciSteps(opts: object = {}): Step[] {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('package-lock.json', '{"lockfileVersion": 3}\n');
  writeGithubWorkflows(tree, normalizeOptions({ ...DEFAULT_OPTIONS, releaseModel: 'train', ...opts }));
  const ci = parse(tree.read(WORKFLOW_PATHS.ci, 'utf-8')!) as { jobs: Record<string, { steps: Step[] }> };
  return ci.jobs.affected!.steps;
}

describe('init --ci=github: the optional remote cache', () => {
  it('gives the write token to pushes to the main and release branches only, the read token to the rest', () => {
    const steps = ciSteps({ mainBranch: 'trunk', branchPrefix: 'rel-' });
    const write = steps.find((s) => s.env?.TOKEN === '${{ secrets.NX_REMOTE_CACHE_WRITE_TOKEN }}')!;
    const read = steps.find((s) => s.env?.TOKEN === '${{ secrets.NX_REMOTE_CACHE_READ_TOKEN }}')!;
    const trusted = "github.event_name == 'push' && (github.ref == 'refs/heads/trunk' || startsWith(github.ref, 'refs/heads/rel-'))";
    expect(write.if).toBe(`vars.NX_SELF_HOSTED_REMOTE_CACHE_SERVER != '' && ${trusted}`);
    expect(read.if).toBe(`vars.NX_SELF_HOSTED_REMOTE_CACHE_SERVER != '' && !(${trusted})`);
    for (const s of [write, read]) {
      expect(s.env!.SERVER).toBe('${{ vars.NX_SELF_HOSTED_REMOTE_CACHE_SERVER }}');
      expect(s.run).toContain('echo "NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=$TOKEN" >> "$GITHUB_ENV"');
      expect(s.run).not.toContain('secrets.');
    }
    // Without a token Nx fails on the cache's 401: the read step then leaves the cache off.
    expect(read.run).toMatch(/if \[ -z "\$TOKEN" \]; then .*exit 0; fi\n/);
    // Both come before the first nx command, so every nx step of the job sees them.
    const firstNx = steps.findIndex((s) => s.run?.includes('npx nx'));
    expect(steps.indexOf(write)).toBeLessThan(firstNx);
    expect(steps.indexOf(read)).toBeLessThan(firstNx);
  });
});
