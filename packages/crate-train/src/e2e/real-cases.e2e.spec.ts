// Six real Wasmtime release commits replayed through real `nx run` on the BUILT
// plugin (tools/testing/fixtures/wasmtime-cases: before/ is the parent commit,
// after/ the files Wasmtime's automation wrote). Each case's before/ becomes a
// git repository on the case's branch with a bare origin; the only plugin option
// is `github.repository`. The step runs with the case's release date, and every
// file of after/ must come out byte for byte (a final-newline-only difference is
// reported apart and counts as equal); Cargo.lock only by its members' versions.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  compareWithAfter,
  formatComparison,
  git,
  installPlugin,
  loadReleaseCases,
  matchesAfter,
  runNx,
  tempDirs,
  WASMTIME_CASES_DIR,
  type ReleaseCase,
  type TreeComparison,
} from '@crate-train/testing';

const MARKER = '[automatically-tag-and-release-this-commit]';
const PLUGIN_OPTIONS = { github: { repository: 'bytecodealliance/wasmtime' } };

const tmp = tempDirs();
const summary: string[] = [];
afterAll(() => {
  tmp.cleanup();
  if (summary.length) console.log(`real Wasmtime cases:\n${summary.join('\n')}`);
});

/** The nx command a case runs, what it leaves, and the commit message it should make. */
interface Step {
  args: string[];
  /** Local work branch holding the result; undefined: the working tree (changelog-date). */
  workBranch?: string;
  message?: string;
}

function stepOf(c: ReleaseCase): Step {
  const date = `--date=${c.release_date}`;
  switch (c.kind) {
    case 'major-bump':
      return { args: ['run', 'release:cut', '--no-push', date], workBranch: `ci/bump-to-${c.version_after}`, message: `Bump Wasmtime to ${c.version_after}` };
    case 'patch-bump':
      return { args: ['run', 'release:patch', '--no-push', date], workBranch: `ci/bump-to-${c.version_after}`, message: `Release Wasmtime ${c.version_after}\n\n${MARKER}` };
    case 'release-date-on-main':
    case 'release-date-on-branch':
      // The version is the executor's default: on main the newest release-* branch
      // of the origin (release-15.0.0), on a release branch the root version.
      return { args: ['run', 'release:changelog-date', date] };
  }
}

/**
 * Files of git submodules that the case's tree needs but before/ (files of the
 * Wasmtime repository only) lacks. Wasmtime's release workflow checks out with
 * `submodules: true`; in 15.0.0 `crates/wiggle` has a path dependency on `witx`
 * inside the WebAssembly/WASI submodule at crates/wasi-common/WASI. The stub
 * carries what Cargo.lock records for it (witx 0.9.1, a workspace member, and
 * its dependencies); scripts/publish.rs treats it as `publish = false`.
 */
const SUBMODULE_STUBS: Record<string, Record<string, string>> = {
  'release-date-on-main-15.0.0-pr7556': {
    'crates/wasi-common/WASI/tools/witx/Cargo.toml': [
      '# Stand-in for the WebAssembly/WASI submodule (not part of the case files).',
      '[package]',
      'name = "witx"',
      'version = "0.9.1"',
      'edition = "2018"',
      '',
      '[dependencies]',
      'anyhow = "1"',
      'log = "0.4"',
      'thiserror = "1.0"',
      'wast = { version = "35.0.2", default-features = false }',
      '',
      '[dev-dependencies]',
      'rayon = "1.0"',
      '',
    ].join('\n'),
  },
};

interface Replay {
  dir: string;
  origin: string;
  base: string;
}

/**
 * `before` copied into a new git repository on `branch` (plus `stubs`), the
 * built plugin installed with PLUGIN_OPTIONS and committed, and a bare origin
 * that has the branch.
 */
async function treeRepo(id: string, before: string, branch: string, stubs: Record<string, string> = {}): Promise<Replay> {
  const dir = tmp.make(`case-${id}`);
  cpSync(before, dir, { recursive: true });
  for (const [file, text] of Object.entries(stubs)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  await git(dir, 'init', '-q', '-b', branch);
  await git(dir, 'config', 'user.name', 'Crate Train Tests');
  await git(dir, 'config', 'user.email', 'tests@crate-train.invalid');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', `before: ${id}`);
  // The Nx files are not part of the Cargo tree: node_modules and .nx stay out of
  // git through .git/info/exclude (before/ has no .gitignore, and gets none);
  // nx.json and package.json are committed, as a user installing the plugin would.
  const hadGitignore = existsSync(join(dir, '.gitignore'));
  await installPlugin(dir, PLUGIN_OPTIONS);
  if (!hadGitignore) rmSync(join(dir, '.gitignore'), { force: true });
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n.nx\n');
  await git(dir, 'add', 'nx.json', 'package.json');
  await git(dir, 'commit', '-q', '-m', 'Install crate-train');
  const status = await git(dir, 'status', '--porcelain');
  if (status) throw new Error(`harness: the replay tree of ${id} is not clean:\n${status}`);
  const origin = tmp.make(`origin-${id}`);
  await git(origin, 'init', '-q', '--bare', '-b', branch);
  await git(dir, 'remote', 'add', 'origin', origin);
  await git(dir, 'push', '-q', '-u', 'origin', branch);
  return { dir, origin, base: await git(dir, 'rev-parse', 'HEAD') };
}

/** before/ as a repository on the case's branch, the built plugin installed, a bare origin with the branch(es). */
async function replayRepo(c: ReleaseCase): Promise<Replay> {
  const r = await treeRepo(c.id, c.before, c.branch, SUBMODULE_STUBS[c.id]);
  if (c.kind === 'release-date-on-main') {
    // Release day on main dates the newest release branch's version.
    await git(r.dir, 'push', '-q', 'origin', `HEAD:refs/heads/release-${c.release_version}`);
  }
  return r;
}

/** The tool's own error lines (`error: …`), or the tail of the output. */
function toolError(out: string): string {
  const errors = out.split('\n').filter((l) => /^\s*(error:|Error:|NX\s)/.test(l));
  return errors.length ? errors.join('\n') : out.split('\n').slice(-25).join('\n');
}

const cases = loadReleaseCases(WASMTIME_CASES_DIR);

describe('real Wasmtime release cases through nx run, byte for byte', () => {
  it('has the six cases', () => {
    expect(cases.map((c) => c.kind).sort()).toEqual(['major-bump', 'major-bump', 'patch-bump', 'patch-bump', 'release-date-on-branch', 'release-date-on-main']);
  });

  for (const c of cases) {
    const step = stepOf(c);
    it(`${c.id}: nx ${step.args.join(' ')} on ${c.branch} gives after/`, async () => {
      const r = await replayRepo(c);
      const started = Date.now();
      const res = await runNx(r.dir, step.args, { reject: false });
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const out = `${res.stdout}\n${res.stderr}`;
      const cmd = `nx ${step.args.join(' ')}`;
      if (res.exitCode !== 0) {
        summary.push(`  ${c.id}: ${cmd}: FAILED (exit ${res.exitCode}, ${secs} s): ${toolError(out).split('\n')[0]}`);
        throw new Error(`${c.id}: \`${cmd}\` on ${c.branch} exited ${res.exitCode} after ${secs} s:\n${toolError(out)}\n\n--- full output ---\n${out}`);
      }

      const problems: string[] = [];
      if (step.workBranch) {
        const local = await git(r.dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/');
        if (!local.split('\n').includes(step.workBranch)) {
          throw new Error(`${c.id}: \`${cmd}\` succeeded but left no local branch ${step.workBranch} (local branches: ${local.replace(/\n/g, ', ')}):\n${out}`);
        }
        const parent = await git(r.dir, 'rev-parse', `${step.workBranch}^`);
        if (parent !== r.base) problems.push(`${step.workBranch} is not one commit on ${c.branch} (parent ${parent.slice(0, 10)}, base ${r.base.slice(0, 10)})`);
        const message = await git(r.dir, 'log', '-1', '--format=%B', step.workBranch);
        if (message !== step.message) problems.push(`commit message of ${step.workBranch}: expected ${JSON.stringify(step.message)}, got ${JSON.stringify(message)}`);
        await git(r.dir, 'checkout', '-q', step.workBranch);
      }
      // Everything the step changed relative to the base commit (committed or not).
      const changed = [
        ...(await git(r.dir, 'diff', '--name-only', r.base)).split('\n'),
        ...(await git(r.dir, 'ls-files', '--others', '--exclude-standard')).split('\n'),
      ].filter(Boolean);
      const read = (p: string) => (existsSync(join(r.dir, p)) ? readFileSync(join(r.dir, p)) : undefined);
      const cmp: TreeComparison = compareWithAfter(c.after, read, changed);
      const ok = matchesAfter(cmp) && problems.length === 0;
      const nl = cmp.finalNewline.length ? `; final newline only: ${cmp.finalNewline.map((f) => f.file).join(', ')}` : '';
      summary.push(
        `  ${c.id}: ${cmd}: ${ok ? 'PASS' : 'DIFFERS'} (${secs} s; ${cmp.compared} files compared, ${cmp.differences.length} differ, ` +
          `${cmp.lock.length} Cargo.lock members off${nl})`,
      );
      if (!ok) {
        throw new Error(`${c.id}: \`${cmd}\` on ${c.branch} does not give after/:\n${[...problems, formatComparison(cmp)].join('\n')}`);
      }
      if (cmp.finalNewline.length) console.log(`${c.id}: ${formatComparison(cmp)}`);
    });
  }
});
