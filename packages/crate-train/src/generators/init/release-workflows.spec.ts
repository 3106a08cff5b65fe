// The workflows issue 13 adds to `init --ci=github`: the weekly supported-branches
// run, the CI workflow's dispatched full run, the release process's issue on
// failure, and the publish workflow's GitHub release step.
import { basename } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { DEFAULT_OPTIONS, normalizeOptions, type CrateTrainOptions } from '../../plugin/options';
import { WORKFLOW_PATHS, WEEKLY_CRON, writeGithubWorkflows } from './ci-github';

type Json = Record<string, any>;

function generate(opts: Partial<CrateTrainOptions> = {}) {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('package-lock.json', '{"lockfileVersion": 3}\n');
  // A RELEASES.md: the monthly train's workflows (the direct model writes its own release workflow).
  tree.write('RELEASES.md', '## 1.0.0\n\nUnreleased.\n');
  const paths = writeGithubWorkflows(tree, normalizeOptions({ ...DEFAULT_OPTIONS, ...opts }));
  const text = (p: string) => tree.read(p, 'utf-8')!;
  // strict + uniqueKeys: a duplicate key or a tab is an error, as GitHub treats them.
  const yaml = (p: string) => parse(text(p), { strict: true, uniqueKeys: true }) as Json;
  return { paths, text, yaml };
}

const step = (job: Json, command: string): Json => (job.steps as Json[]).find((s) => typeof s.run === 'string' && s.run.includes(command))!;

/** Every `${{ ... }}` naming a secret, and every env value that carries a token. */
function secretUses(text: string): string[] {
  return [...text.matchAll(/\$\{\{[^}]*secrets[^}]*\}\}/g)].map((m) => m[0]);
}

describe('init --ci=github: supported branches, failed runs, GitHub releases', () => {
  it('writes a weekly workflow that dispatches CI on the branches release:supported-branches prints', () => {
    const g = generate({ github: { repository: 'acme/runtime', tagVia: 'api' } });
    const wf = g.yaml(WORKFLOW_PATHS.supportedBranches);
    expect(wf.on).toEqual({ schedule: [{ cron: WEEKLY_CRON }], workflow_dispatch: null });
    expect(WEEKLY_CRON).toBe('34 2 * * 1');
    const pick = wf.jobs.branches;
    expect(pick.if).toBe("github.repository == 'acme/runtime' || github.event_name != 'schedule'");
    expect(pick.permissions).toEqual({ contents: 'read' });
    expect(pick.outputs).toEqual({ branches: '${{ steps.pick.outputs.branches }}' });
    expect(step(pick, 'supported-branches')).toEqual({
      name: expect.any(String),
      id: 'pick',
      run: 'npx nx run release:supported-branches --json --no-fetch',
    });
    // The checkout keeps every branch and tag: the executor reads them without fetching.
    expect((pick.steps as Json[])[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });

    const dispatch = wf.jobs.dispatch;
    expect(dispatch.needs).toBe('branches');
    expect(dispatch.if).toBe("needs.branches.outputs.branches != '[]'");
    expect(dispatch.permissions).toEqual({ actions: 'write' });
    expect(dispatch.strategy).toEqual({ 'fail-fast': false, matrix: { branch: '${{ fromJSON(needs.branches.outputs.branches) }}' } });
    const run = step(dispatch, 'gh workflow run');
    expect(run.run).toBe(`gh workflow run ${basename(WORKFLOW_PATHS.ci)} --repo "$REPOSITORY" --ref "$BRANCH"`);
    expect(run.env).toEqual({ GH_TOKEN: '${{ github.token }}', BRANCH: '${{ matrix.branch }}', REPOSITORY: '${{ github.repository }}' });
    expect(secretUses(g.text(WORKFLOW_PATHS.supportedBranches))).toEqual([]);
  });

  it('lets the CI workflow be dispatched, running every crate then instead of nx affected', () => {
    const g = generate();
    const ci = g.yaml(WORKFLOW_PATHS.ci);
    expect(Object.keys(ci.on)).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    const job = ci.jobs.affected;
    const steps = job.steps as Json[];
    expect(steps.find((s) => s.uses?.startsWith('nrwl/nx-set-shas'))!.if).toBe("github.event_name != 'workflow_dispatch'");
    expect(step(job, 'nx affected').if).toBe("github.event_name != 'workflow_dispatch'");
    expect(step(job, 'nx run-many')).toMatchObject({ if: "github.event_name == 'workflow_dispatch'", run: 'npx nx run-many -t check,test,clippy' });
    // A dispatched run never tags: push-tag stays on pushes.
    expect(ci.jobs['push-tag'].if).toContain("github.event_name == 'push'");
  });

  it('opens an issue when a manual or scheduled release-process run fails, with the workflow token only', () => {
    const g = generate();
    const rp = g.yaml(WORKFLOW_PATHS.releaseProcess);
    const job = rp.jobs['file-issue-on-error'];
    expect(job.needs).toBe('release-process');
    expect(job.if).toBe("failure() && github.event_name != 'push'");
    expect(job.permissions).toEqual({ issues: 'write' });
    const create = step(job, 'gh issue create');
    expect(create.env).toMatchObject({
      GH_TOKEN: '${{ github.token }}',
      RUN_URL: '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}',
    });
    expect(create.run).toContain('--title "Release process failed: $ACTION on $BRANCH"');
    expect(create.run).toContain('$RUN_URL');
    // The release steps keep the PAT, by name.
    expect(secretUses(g.text(WORKFLOW_PATHS.releaseProcess)).every((s) => s === '${{ secrets.PERSONAL_ACCESS_TOKEN }}')).toBe(true);
  });

  it('creates the GitHub release of the tag after publishing the crates', () => {
    const g = generate({ releaseProject: 'train' });
    const pub = g.yaml(WORKFLOW_PATHS.publish);
    const steps = pub.jobs.publish.steps as Json[];
    const publish = steps.findIndex((s) => s.run === 'npx nx run train:publish');
    const release = steps.findIndex((s) => typeof s.run === 'string' && s.run.includes('train:github-release'));
    expect(publish).toBeGreaterThan(0);
    expect(release).toBe(publish + 1);
    // Plugins load in-process: half a second less before the first upload (tools/bench/publish.ts).
    expect(pub.jobs.publish.env).toEqual({ NX_ISOLATE_PLUGINS: 'false' });
    expect(steps[release]).toMatchObject({
      env: { GITHUB_TOKEN: '${{ secrets.PERSONAL_ACCESS_TOKEN }}', TAG: '${{ github.ref_name }}' },
      run: 'npx nx run train:github-release --tag="$TAG"',
    });
  });

  it('every workflow parses as YAML and names secrets only as ${{ secrets.NAME }}', () => {
    const g = generate({ github: { repository: 'acme/runtime', tagVia: 'api' }, registry: 'my-registry' });
    expect(g.paths.sort()).toEqual([WORKFLOW_PATHS.ci, WORKFLOW_PATHS.publish, WORKFLOW_PATHS.releaseProcess, WORKFLOW_PATHS.supportedBranches].sort());
    for (const p of g.paths) {
      expect(() => g.yaml(p)).not.toThrow();
      for (const use of secretUses(g.text(p))) expect([p, use]).toEqual([p, expect.stringMatching(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/)]);
    }
  });
});
