import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { DEFAULT_OPTIONS, normalizeOptions, type CrateTrainOptions } from '../../plugin/options';
import { WORKFLOW_PATHS, writeGithubWorkflows } from './ci-github';

type Json = Record<string, any>;

// Keys from GitHub's "Workflow syntax for GitHub Actions" reference. Anything
// else in a generated file is a typo GitHub would reject or silently ignore.
const WORKFLOW_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
const JOB_KEYS = new Set([
  'name',
  'permissions',
  'needs',
  'if',
  'runs-on',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets',
]);
const STEP_KEYS = new Set(['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory']);
const PERMISSION_SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'discussions',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
  'models',
]);
const EVENTS = new Set(['push', 'pull_request', 'schedule', 'workflow_dispatch', 'merge_group', 'release', 'workflow_run']);
const CONTEXTS = new Set(['github', 'secrets', 'inputs', 'needs', 'env', 'vars', 'steps', 'runner', 'matrix', 'job']);
const FUNCTIONS = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'format',
  'join',
  'toJSON',
  'fromJSON',
  'hashFiles',
  'success',
  'always',
  'cancelled',
  'failure',
]);

function generate(opts: Partial<CrateTrainOptions> = {}, setup?: (t: Tree) => void) {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('package-lock.json', '{"lockfileVersion": 3}\n');
  setup?.(tree);
  const options = normalizeOptions({ ...DEFAULT_OPTIONS, releaseModel: 'train', ...opts });
  const paths = writeGithubWorkflows(tree, options);
  const text = (p: string) => tree.read(p, 'utf-8')!;
  const yaml = (p: string) => parse(text(p), { strict: true, uniqueKeys: true }) as Json;
  const rp = options.releaseModel === 'direct' ? yaml(WORKFLOW_PATHS.release) : yaml(WORKFLOW_PATHS.releaseProcess);
  return { tree, options, paths, text, yaml, ci: yaml(WORKFLOW_PATHS.ci), rp, pub: yaml(WORKFLOW_PATHS.publish) };
}

const steps = (job: Json): Json[] => job.steps as Json[];
const stepRunning = (job: Json, command: string) => steps(job).find((s) => typeof s.run === 'string' && s.run.includes(command));

/** Every `${{ }}` expression and every `if:` (an implicit expression) in a workflow. */
function expressions(wf: Json, text: string): string[] {
  const out = [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
  for (const job of Object.values(wf.jobs as Json)) {
    if (typeof job.if === 'string' && !job.if.includes('${{')) out.push(job.if);
    for (const s of job.steps ?? []) if (typeof s.if === 'string' && !s.if.includes('${{')) out.push(s.if);
  }
  return out;
}

describe('writeGithubWorkflows (init --ci=github)', () => {
  it('writes the CI, release-process and publish workflows and returns their paths', () => {
    const { paths, tree } = generate();
    expect(paths.sort()).toEqual(
      Object.values(WORKFLOW_PATHS)
        .filter((p) => p !== WORKFLOW_PATHS.release)
        .sort(),
    );
    for (const p of paths) expect(tree.exists(p)).toBe(true);
    // The direct model writes its dispatch workflow instead of the monthly release process, and
    // no weekly run on release branches (it has none).
    const direct = generate({ releaseModel: 'direct' });
    expect(direct.paths.sort()).toEqual([WORKFLOW_PATHS.ci, WORKFLOW_PATHS.release, WORKFLOW_PATHS.publish].sort());
  });

  it('uses only documented workflow syntax', () => {
    const g = generate({ github: { repository: 'acme/runtime', tagVia: 'api' } });
    for (const p of g.paths) {
      const wf = g.yaml(p);
      for (const k of Object.keys(wf)) expect([p, k, WORKFLOW_KEYS.has(k)]).toEqual([p, k, true]);
      for (const e of Object.keys(wf.on)) expect([p, e, EVENTS.has(e)]).toEqual([p, e, true]);
      for (const [name, job] of Object.entries(wf.jobs as Json)) {
        expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
        for (const k of Object.keys(job)) expect([p, name, k, JOB_KEYS.has(k)]).toEqual([p, name, k, true]);
        for (const n of [job.needs ?? []].flat()) expect(Object.keys(wf.jobs)).toContain(n);
        for (const s of steps(job)) {
          for (const k of Object.keys(s)) expect([p, name, k, STEP_KEYS.has(k)]).toEqual([p, name, k, true]);
          expect(Boolean(s.uses) !== Boolean(s.run)).toBe(true);
          // Actions pinned to a released major version.
          if (s.uses) expect(s.uses).toMatch(/^(actions\/checkout|actions\/setup-node|nrwl\/nx-set-shas)@v\d+$/);
        }
      }
      for (const expr of expressions(wf, g.text(p))) {
        for (const m of expr.matchAll(/(?<![\w.'-])([A-Za-z_][\w-]*)\s*(?=[.(])/g)) {
          const id = m[1]!;
          expect([p, expr.trim(), id, CONTEXTS.has(id) || FUNCTIONS.has(id)]).toEqual([p, expr.trim(), id, true]);
        }
      }
    }
  });

  it('schedules the cut on the 5th and the release on the 20th, with a manual cut / release-latest / release-patch / release-rc', () => {
    const { rp } = generate();
    expect(rp.on.schedule).toEqual([{ cron: '0 0 5 * *' }, { cron: '0 0 20 * *' }]);
    expect(rp.on.workflow_dispatch.inputs.action).toMatchObject({ type: 'choice', options: ['cut', 'release-latest', 'release-patch', 'release-rc'] });
    const job = rp.jobs['release-process'];
    const cut = stepRunning(job, 'npx nx run release:cut')!;
    expect(cut.if).toBe("github.event.schedule == '0 0 5 * *' || inputs.action == 'cut'");
    const latest = stepRunning(job, 'npx nx run release:release-latest')!;
    expect(latest.if).toBe("github.event.schedule == '0 0 20 * *' || inputs.action == 'release-latest'");
    const patch = stepRunning(job, 'npx nx run release:patch')!;
    expect(patch.if).toBe("inputs.action == 'release-patch'");
    // The patch runs on the branch picked in the dispatch form, and refuses anything but a release branch.
    expect(patch.env.BRANCH).toBe('${{ github.ref_name }}');
    expect(patch.run).toContain('release-*) ;;');
    // The next release candidate (dev-rc model), the same way on the chosen release branch.
    const rc = stepRunning(job, 'npx nx run release:rc')!;
    expect(rc.if).toBe("inputs.action == 'release-rc'");
    expect(rc.env).toEqual({ GITHUB_TOKEN: '${{ secrets.PERSONAL_ACCESS_TOKEN }}', BRANCH: '${{ github.ref_name }}' });
    expect(rc.run).toContain('release-*) ;;');
    expect(rp.concurrency['cancel-in-progress']).toBe(false);
  });

  it('runs the tag job on pushes to release branches only after the CI join succeeded, with the pushed range', () => {
    const { ci } = generate();
    expect(ci.on.push.branches).toEqual(['main', 'release-*']);
    expect(ci.on.pull_request.branches).toEqual(['main', 'release-*']);
    const join = ci.jobs['ci-status'];
    expect(join.if).toBe('always()');
    expect(join.needs).toEqual(['affected', 'semver']);
    expect(steps(join).map((s) => s.run)).toEqual(['exit 0', 'exit 1']);
    const tag = ci.jobs['push-tag'];
    expect(tag.needs).toBe('ci-status');
    expect(tag.if.split(/\s*&&\s*/)).toEqual([
      'always()',
      "needs.ci-status.result == 'success'",
      "github.event_name == 'push'",
      "startsWith(github.ref, 'refs/heads/release-')",
    ]);
    expect(stepRunning(tag, 'release:tag')!.run).toBe('npx nx run release:tag --before=${{ github.event.before }} --after=${{ github.sha }}');
    // Runs on a push must not be cancelled by the next push, or a marker commit could go untagged.
    expect(ci.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  it('runs nx affected in PR CI with the full history and the change base', () => {
    const { ci } = generate();
    const job = ci.jobs.affected;
    expect(steps(job)[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'persist-credentials': false } });
    const shas = steps(job).find((s) => s.uses?.startsWith('nrwl/nx-set-shas'))!;
    expect(shas.with['main-branch-name']).toBe('${{ github.base_ref || github.ref_name }}');
    expect(stepRunning(job, 'nx affected')!.run).toBe('npx nx affected -t check,test,clippy --base="$NX_BASE" --head="$NX_HEAD"');
    const semver = ci.jobs.semver;
    expect(semver.if).toBe("startsWith(github.base_ref, 'release-') || startsWith(github.ref, 'refs/heads/release-')");
    expect(stepRunning(semver, 'semver-check')!.run).toContain('NX_BASE="$tag" npx nx affected -t semver-check');
  });

  it('publishes on v* tags with the registry token from a secret', () => {
    const { pub } = generate();
    expect(pub.on).toEqual({ push: { tags: ['v*'] } });
    const step = stepRunning(pub.jobs.publish, 'npx nx run release:publish')!;
    expect(step.env).toEqual({ CARGO_REGISTRY_TOKEN: '${{ secrets.CARGO_REGISTRY_TOKEN }}' });
  });

  it('lets the publish job use crates.io trusted publishing: an OIDC token, in the `publish` environment', () => {
    const { pub } = generate();
    expect(pub.jobs.publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(pub.jobs.publish.environment).toBe('publish');
  });

  it('grants write permissions only to the jobs that push, tag or open PRs', () => {
    const g = generate();
    const writers: string[] = [];
    for (const p of g.paths) {
      const wf = g.yaml(p);
      expect(wf.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(wf.jobs as Json)) {
        expect(job.permissions).toBeDefined();
        for (const [scope, level] of Object.entries(job.permissions as Json)) {
          expect(PERMISSION_SCOPES.has(scope)).toBe(true);
          expect(['read', 'write', 'none']).toContain(level);
          if (level === 'write') writers.push(`${name}:${scope}`);
        }
      }
    }
    expect(writers.sort()).toEqual([
      'dispatch:actions',
      'file-issue-on-error:issues',
      'publish:id-token',
      'push-tag:contents',
      'release-process:contents',
      'release-process:pull-requests',
    ]);
  });

  it('names secrets only through ${{ secrets.NAME }} in step env, never inline or on a command line', () => {
    const g = generate();
    for (const p of g.paths) {
      const text = g.text(p);
      expect(text).not.toMatch(/gh[pousr]_[A-Za-z0-9]{10,}|github_pat_|cio[A-Za-z0-9]{20,}/);
      expect(text).not.toMatch(/secrets\.GITHUB_TOKEN/);
      const wf = g.yaml(p);
      for (const job of Object.values(wf.jobs as Json)) {
        // Tokens go to the steps that need them, not to `npm ci`: a job's env holds plain settings only.
        for (const v of Object.values((job.env ?? {}) as Json)) expect(String(v)).not.toMatch(/\$\{\{/);
        for (const s of steps(job)) {
          for (const [k, v] of Object.entries((s.env ?? {}) as Json)) {
            // A secret by name, or the workflow's own token (github.token, limited by the job's permissions).
            if (/TOKEN|SECRET|PASSWORD|KEY/.test(k)) expect(v).toMatch(/^\$\{\{ (secrets\.[A-Z_]+|github\.token) \}\}$/);
          }
          if (s.run) expect(s.run).not.toContain('secrets.');
          if (s.with) expect(JSON.stringify(s.with)).not.toContain('secrets.');
        }
      }
    }
    const release = stepRunning(g.rp.jobs['release-process'], 'release:cut')!;
    expect(release.env).toEqual({ GITHUB_TOKEN: '${{ secrets.PERSONAL_ACCESS_TOKEN }}' });
  });

  it('is idempotent: a second run changes nothing', () => {
    const { tree, options, paths, text } = generate();
    const before = paths.map(text);
    const changes = tree.listChanges().length;
    expect(writeGithubWorkflows(tree, options)).toEqual(paths);
    expect(paths.map(text)).toEqual(before);
    expect(tree.listChanges().length).toBe(changes);
  });

  it('follows the plugin options: branches, release project, target names, repository, registry, package manager', () => {
    const g = generate(
      {
        mainBranch: 'trunk',
        branchPrefix: 'rel/',
        releaseProject: 'train',
        targets: { check: 'cargo-check', test: 'cargo-test', clippy: 'lint', build: 'build', semverCheck: 'api' },
        github: { repository: 'acme/runtime', tagVia: 'api' },
        registry: 'my-registry',
      },
      (t) => t.write('pnpm-lock.yaml', 'lockfileVersion: 9.0\n'),
    );
    expect(g.ci.on.push.branches).toEqual(['trunk', 'rel/*']);
    expect(stepRunning(g.ci.jobs.affected, 'nx affected')!.run).toContain('-t cargo-check,cargo-test,lint ');
    expect(stepRunning(g.ci.jobs.semver, 'npx nx affected')!.run).toContain('tag="v${BRANCH#rel/}"');
    expect(stepRunning(g.ci.jobs.semver, 'npx nx affected')!.run).toContain('npx nx affected -t api');
    expect(g.ci.jobs['push-tag'].if).toContain("startsWith(github.ref, 'refs/heads/rel/')");
    expect(g.ci.jobs['push-tag'].if).toContain("github.repository == 'acme/runtime'");
    expect(stepRunning(g.ci.jobs['push-tag'], 'train:tag')).toBeDefined();
    expect(g.rp.jobs['release-process'].if).toBe("github.repository == 'acme/runtime' || github.event_name != 'schedule'");
    expect(stepRunning(g.rp.jobs['release-process'], 'npx nx run train:cut')).toBeDefined();
    expect(stepRunning(g.pub.jobs.publish, 'npx nx run train:publish')!.env).toEqual({
      CARGO_REGISTRIES_MY_REGISTRY_TOKEN: '${{ secrets.CARGO_REGISTRY_TOKEN }}',
    });
    expect(g.pub.jobs.publish.if).toBe("github.repository == 'acme/runtime'");
    const install = steps(g.ci.jobs.affected)
      .map((s) => s.run)
      .filter(Boolean);
    expect(install).toContain('corepack enable && pnpm install --frozen-lockfile');
    expect(g.text(WORKFLOW_PATHS.ci)).not.toContain('cache: npm');
  });

  it('installs with npm install, without the npm cache, when there is no lockfile', () => {
    const g = generate({}, (t) => t.delete('package-lock.json'));
    const runs = steps(g.ci.jobs.affected)
      .map((s) => s.run)
      .filter(Boolean);
    expect(runs).toContain('npm install');
    expect(runs).not.toContain('npm ci');
    expect(g.text(WORKFLOW_PATHS.ci)).not.toContain('cache: npm');
    const locked = generate();
    expect(steps(locked.ci.jobs.affected).map((s) => s.run)).toContain('npm ci');
    expect(locked.text(WORKFLOW_PATHS.ci)).toContain('cache: npm');
  });

  it('renders the templates completely: no EJS tag left, no HTML escape, GitHub expressions kept', () => {
    const g = generate({ github: { repository: 'acme/runtime', tagVia: 'api' }, registry: 'my-registry' });
    for (const p of g.paths) {
      const text = g.text(p);
      expect([p, text.match(/<%|%>|&#39;|&#34;|&amp;|&lt;|&gt;/)?.[0]]).toEqual([p, undefined]);
      expect(text).toContain('${{ github.workflow }}');
      expect(text.startsWith('# Generated by `nx g crate-train:init --ci=github`')).toBe(true);
    }
  });

  it('refuses option values that would inject into YAML or expressions, naming the option', () => {
    expect(() => generate({ branchPrefix: "release-' || true" })).toThrow(/plugin option branchPrefix = .* is not a plain branch prefix/);
    expect(() => generate({ releaseProject: 'release; rm -rf /' })).toThrow(/releaseProject/);
  });
});
