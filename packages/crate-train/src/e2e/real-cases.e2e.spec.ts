// Six real Wasmtime release commits replayed through real `nx run` on the BUILT
// plugin (tools/testing/fixtures/wasmtime-cases: before/ is the parent commit,
// after/ the files Wasmtime's automation wrote). Each case's before/ becomes a
// git repository on the case's branch with a bare origin; the only plugin option
// is `github.repository`. The step runs with the case's release date, and every
// file of after/ must come out byte for byte (a final-newline-only difference is
// reported apart and counts as equal); Cargo.lock only by its members' versions.
//
// Then Wasmtime's 2026 layout (main-2026-08-20-dev-rc, no after/: init, show
// projects, and the cut against what Wasmtime's new workflow does per the cases'
// README), and the 19.0.0 tree of the 20.0.0 case through bump --dry-run and
// verify --skip-package (warnings, notes, --strict).
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
      return {
        args: ['run', 'release:patch', '--no-push', date],
        workBranch: `ci/bump-to-${c.version_after}`,
        message: `Release Wasmtime ${c.version_after}\n\n${MARKER}`,
      };
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
        if (parent !== r.base)
          problems.push(`${step.workBranch} is not one commit on ${c.branch} (parent ${parent.slice(0, 10)}, base ${r.base.slice(0, 10)})`);
        const message = await git(r.dir, 'log', '-1', '--format=%B', step.workBranch);
        if (message !== step.message)
          problems.push(`commit message of ${step.workBranch}: expected ${JSON.stringify(step.message)}, got ${JSON.stringify(message)}`);
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

/** A root-relative file of a repository. */
const readIn = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
/** A file at a revision (`git show REV:FILE`). */
const showAt = (dir: string, rev: string, file: string) => git(dir, 'show', `${rev}:${file}`);
/** Every ref of a repository with its sha (the bare origin's state). */
const refsOf = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
/** The `version = "…"` of a `[table]` of a manifest (first `version` key after the header). */
function tableVersion(manifest: string, table: string): string | undefined {
  const text = `\n${manifest}`;
  const start = text.indexOf(`\n[${table}]\n`);
  if (start < 0) return undefined;
  const body = text.slice(start + table.length + 4).split(/^\[/m)[0];
  return /^version\s*=\s*"([^"]*)"/m.exec(body)?.[1];
}
/** The `version = "…"` of a dependency's line (`name = { …, version = "…" }`) in `[workspace.dependencies]`. */
function workspaceDepVersion(manifest: string, dep: string): string | undefined {
  const start = manifest.indexOf('\n[workspace.dependencies]\n');
  const body = manifest.slice(start).split(/^\[(?!workspace\.dependencies\])/m)[0];
  const line = body.split('\n').find((l) => l.startsWith(`${dep} =`));
  return line && /version\s*=\s*"([^"]*)"/.exec(line)?.[1];
}
const outOf = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

describe("Wasmtime's 2026 layout (main-2026-08-20-dev-rc): no configuration but github.repository", () => {
  const ID = 'main-2026-08-20-dev-rc';
  const BEFORE = join(WASMTIME_CASES_DIR, ID, 'before');
  let r: Replay;
  let main: string;

  beforeAll(async () => {
    r = await treeRepo(ID, BEFORE, 'main');
  });

  it('nx g crate-train:init finds the crate list at crates/misc/publish/src/main.rs and adds no crateList', async () => {
    const init = await runNx(r.dir, ['g', 'crate-train:init'], { reject: false });
    const out = outOf(init);
    if (init.exitCode !== 0) throw new Error(`nx g crate-train:init exited ${init.exitCode}:\n${out}`);
    expect(out).toMatch(/crate-train: crate list crates\/misc\/publish\/src\/main\.rs: \d+ crates to publish, \d+ public\./);
    const plugins = JSON.parse(readIn(r.dir, 'nx.json')).plugins;
    expect(plugins).toEqual([{ plugin: 'crate-train', options: PLUGIN_OPTIONS }]);
    // What init wrote (the .gitignore entries for .nx) is committed and pushed, as a user would.
    await git(r.dir, 'add', '-A');
    if (await git(r.dir, 'status', '--porcelain')) await git(r.dir, 'commit', '-q', '-m', 'nx g crate-train:init');
    await git(r.dir, 'push', '-q', 'origin', 'main');
    main = await git(r.dir, 'rev-parse', 'HEAD');
  });

  it('nx show projects includes release', async () => {
    const { stdout } = await runNx(r.dir, ['show', 'projects', '--json']);
    expect(JSON.parse(stdout)).toContain('release');
  });

  it("nx run release:cut --no-push makes what Wasmtime's 2026 workflow makes: main -> 50.0.0-dev, release-49.0.0 -> 49.0.0-rc.1", async () => {
    if (!main) throw new Error('the init test did not finish');
    const originRefs = await refsOf(r.origin);
    const args = ['run', 'release:cut', '--no-push', '--date=2026-09-05'];
    const started = Date.now();
    const res = await runNx(r.dir, args, { reject: false });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const out = outOf(res);
    if (res.exitCode !== 0) {
      summary.push(`  ${ID}: nx ${args.join(' ')}: FAILED (exit ${res.exitCode}, ${secs} s): ${toolError(out).split('\n')[0]}`);
      throw new Error(`${ID}: \`nx ${args.join(' ')}\` exited ${res.exitCode} after ${secs} s:\n${toolError(out)}\n\n--- full output ---\n${out}`);
    }

    const problems: string[] = [];
    const expectEq = (what: string, actual: unknown, expected: unknown) => {
      if (actual !== expected) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    };
    const local = (await git(r.dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')).split('\n');
    const BUMP = 'ci/bump-to-50.0.0';
    const RC = 'ci/rc-49.0.0-rc.1';
    const RELEASE = 'release-49.0.0';
    for (const b of [BUMP, RC, RELEASE]) {
      if (!local.includes(b)) problems.push(`no local branch ${b} (local branches: ${local.join(', ')})`);
    }
    if (problems.length) throw new Error(`${ID}: \`nx ${args.join(' ')}\`:\n${problems.join('\n')}\n\n--- output ---\n${out}`);

    // c. release-49.0.0 at main's head; main itself not moved; nothing pushed.
    expectEq(`${RELEASE}`, await git(r.dir, 'rev-parse', RELEASE), main);
    expectEq('main', await git(r.dir, 'rev-parse', 'main'), main);
    expectEq('the origin refs', await refsOf(r.origin), originRefs);

    // a. ci/bump-to-50.0.0: one commit on main.
    expectEq(`parent of ${BUMP}`, await git(r.dir, 'rev-parse', `${BUMP}^`), main);
    expectEq(`message of ${BUMP}`, await git(r.dir, 'log', '-1', '--format=%B', BUMP), 'Bump Wasmtime to 50.0.0');
    const bumpRoot = await showAt(r.dir, BUMP, 'Cargo.toml');
    expectEq(`${BUMP}: Cargo.toml [workspace.package] version`, tableVersion(bumpRoot, 'workspace.package'), '50.0.0-dev');
    expectEq(`${BUMP}: Cargo.toml [workspace.dependencies] cranelift-codegen`, workspaceDepVersion(bumpRoot, 'cranelift-codegen'), '0.137.0-dev');
    expectEq(
      `${BUMP}: cranelift/codegen/Cargo.toml [package] version`,
      tableVersion(await showAt(r.dir, BUMP, 'cranelift/codegen/Cargo.toml'), 'package'),
      '0.137.0-dev',
    );
    const bumpHeader = await showAt(r.dir, BUMP, 'crates/c-api/include/wasmtime.h');
    if (!bumpHeader.includes('#define WASMTIME_VERSION "50.0.0-dev"\n'))
      problems.push(
        `${BUMP}: wasmtime.h lacks #define WASMTIME_VERSION "50.0.0-dev" (has ${JSON.stringify(/#define WASMTIME_VERSION .*/.exec(bumpHeader)?.[0])})`,
      );
    if (!/#define WASMTIME_VERSION_MAJOR 50\n/.test(bumpHeader))
      problems.push(
        `${BUMP}: wasmtime.h lacks #define WASMTIME_VERSION_MAJOR 50 (has ${JSON.stringify(/#define WASMTIME_VERSION_MAJOR .*/.exec(bumpHeader)?.[0])})`,
      );
    const releases = await showAt(r.dir, BUMP, 'RELEASES.md');
    if (!/^## 50\.0\.0$/m.test(releases)) problems.push(`${BUMP}: RELEASES.md has no "## 50.0.0" section (starts ${JSON.stringify(releases.slice(0, 120))})`);
    const link = '* [49.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-49.0.0/RELEASES.md)';
    const lines = releases.split('\n');
    const archive = lines.indexOf('<!-- ARCHIVE_START -->');
    if (archive < 0 || lines[archive + 1] !== link) {
      problems.push(
        `${BUMP}: RELEASES.md: the line after <!-- ARCHIVE_START --> should be ${JSON.stringify(link)}, got ${JSON.stringify(archive < 0 ? '(no ARCHIVE_START)' : lines[archive + 1])}`,
      );
    }
    // Archive style: the 49.0.0 notes live on release-49.0.0 only.
    if (/^## 49\.0\.0$/m.test(releases)) problems.push(`${BUMP}: RELEASES.md still has the "## 49.0.0" section (archive style drops it on main)`);

    // b. ci/rc-49.0.0-rc.1: one commit on release-49.0.0 (= main's head).
    expectEq(`parent of ${RC}`, await git(r.dir, 'rev-parse', `${RC}^`), main);
    expectEq(`message of ${RC}`, await git(r.dir, 'log', '-1', '--format=%B', RC), `Release Wasmtime 49.0.0-rc.1\n\n${MARKER}`);
    const rcRoot = await showAt(r.dir, RC, 'Cargo.toml');
    expectEq(`${RC}: Cargo.toml [workspace.package] version`, tableVersion(rcRoot, 'workspace.package'), '49.0.0-rc.1');
    expectEq(`${RC}: Cargo.toml [workspace.dependencies] cranelift-codegen`, workspaceDepVersion(rcRoot, 'cranelift-codegen'), '0.136.0-rc.1');
    expectEq(
      `${RC}: cranelift/codegen/Cargo.toml [package] version`,
      tableVersion(await showAt(r.dir, RC, 'cranelift/codegen/Cargo.toml'), 'package'),
      '0.136.0-rc.1',
    );
    const rcHeader = await showAt(r.dir, RC, 'crates/c-api/include/wasmtime.h');
    if (!rcHeader.includes('#define WASMTIME_VERSION "49.0.0-rc.1"\n'))
      problems.push(
        `${RC}: wasmtime.h lacks #define WASMTIME_VERSION "49.0.0-rc.1" (has ${JSON.stringify(/#define WASMTIME_VERSION .*/.exec(rcHeader)?.[0])})`,
      );
    if (!/#define WASMTIME_VERSION_MAJOR 49\n/.test(rcHeader)) problems.push(`${RC}: wasmtime.h lacks #define WASMTIME_VERSION_MAJOR 49`);
    const rcChanged = (await git(r.dir, 'diff', '--name-only', main, RC)).split('\n');
    if (rcChanged.includes('RELEASES.md')) problems.push(`${RC}: RELEASES.md changed (Wasmtime's workflow leaves it unchanged on the release branch)`);

    summary.push(`  ${ID}: nx ${args.join(' ')}: ${problems.length ? `DIFFERS (${problems.length})` : 'PASS'} (${secs} s)`);
    if (problems.length)
      throw new Error(`${ID}: \`nx ${args.join(' ')}\` differs from what Wasmtime's workflow does:\n${problems.join('\n')}\n\n--- output ---\n${out}`);
  });
});

describe('the 19.0.0 tree of major-bump-20.0.0-pr8046: bump --dry-run and verify --skip-package', () => {
  const c = cases.find((x) => x.id === 'major-bump-20.0.0-pr8046')!;
  let r: Replay;

  beforeAll(async () => {
    r = await replayRepo(c);
  });

  it('nx run release:bump --kind=major --dry-run: warnings, the crates outside the governed folders, the full diff; nothing written', async () => {
    const res = await runNx(r.dir, ['run', 'release:bump', '--kind=major', '--dry-run'], { reject: false });
    const out = outOf(res);
    if (res.exitCode !== 0) throw new Error(`release:bump --kind=major --dry-run exited ${res.exitCode}:\n${toolError(out)}\n\n--- full output ---\n${out}`);
    const warnings = out.split('\n').filter((l) => /^\s*warning:/.test(l));
    expect(warnings.some((l) => /\bwinch\b/.test(l.replace(/winch-|-winch/g, '')))).toBe(true);
    expect(warnings.some((l) => l.includes('cranelift-egraph'))).toBe(true);
    const outside = out.split('\n').filter((l) => l.includes('outside the folders the crate list governs'));
    expect(outside.join('\n')).toMatch(/\bembedding\b/);
    expect(outside.join('\n')).toMatch(/min-platform-host/);
    expect(out).toContain('--- a/Cargo.toml');
    expect(out).toContain('+++ b/Cargo.toml');
    expect(out).toMatch(/^-version = "19\.0\.0"$/m);
    expect(out).toMatch(/^\+version = "20\.0\.0"$/m);
    expect(await git(r.dir, 'status', '--porcelain')).toBe('');
    expect(await git(r.dir, 'rev-parse', 'HEAD')).toBe(r.base);
  });

  it('nx run release:verify --skip-package exits 0 and lists the warnings; with --strict it fails', async () => {
    const res = await runNx(r.dir, ['run', 'release:verify', '--skip-package', '--skip-nx-cache'], { reject: false });
    const out = outOf(res);
    if (res.exitCode !== 0) throw new Error(`release:verify --skip-package exited ${res.exitCode}:\n${toolError(out)}\n\n--- full output ---\n${out}`);
    // verify lists its warnings under "verify: N warning(s) …:" as "- …" lines (or as "warning: …" lines).
    const lines = out.split('\n');
    const header = lines.findIndex((l) => /^\s*verify: \d+ warning\(s\)/.test(l));
    const listed: string[] = [];
    if (header >= 0) for (let i = header + 1; i < lines.length && /^\s*- /.test(lines[i]); i++) listed.push(lines[i]);
    const warnings = [...lines.filter((l) => /^\s*warning:/.test(l)), ...listed];
    const missing = [
      ...(warnings.some((l) => l.includes('cranelift-egraph')) ? [] : ['cranelift-egraph']),
      ...(warnings.some((l) => /\bwinch\b/.test(l.replace(/winch-|-winch/g, ''))) ? [] : ['winch']),
    ];
    if (missing.length) throw new Error(`release:verify --skip-package lists no warning naming ${missing.join(', ')}; its output:\n${out}`);

    const strict = await runNx(r.dir, ['run', 'release:verify', '--skip-package', '--strict', '--skip-nx-cache'], { reject: false });
    if (strict.exitCode === 0) throw new Error(`release:verify --skip-package --strict exited 0 despite the warnings:\n${outOf(strict)}`);
    expect(outOf(strict)).toContain('cranelift-egraph');
    expect(await git(r.dir, 'status', '--porcelain')).toBe('');
  });
});
