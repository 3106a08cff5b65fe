// End to end through the real nx CLI, with the BUILT plugin installed in a temp
// copy of the sample workspace: projects, graph (with the dev-dependency
// cycle), run-many, affected on a real git repo, task hashing, and errors.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  cargoMetadata,
  commitAll,
  copySample,
  installPlugin,
  makeTempDir,
  removeTempDirs,
  runNx,
  SAMPLE_CRATES,
  setupSampleRepo,
  SHARED_CARGO_TARGET_DIR,
} from '@crate-train/testing';
import { cargoView } from '../testing/graph';

afterAll(removeTempDirs);

const CARGO_ENV = { CARGO_TARGET_DIR: SHARED_CARGO_TARGET_DIR, CARGO_NET_OFFLINE: 'true' };
const ALL_CRATES = Object.keys(SAMPLE_CRATES).sort();

/** Tasks nx ran (or replayed) for a target, from its terminal output. */
function tasksRun(output: string, target: string): string[] {
  const re = new RegExp(`nx run ([\\w.-]+):${target}`, 'g');
  return [...new Set([...output.matchAll(re)].map((m) => m[1]))].sort();
}

/** `name` plus every crate that depends on it, directly or not, by any kind of dependency (from cargo). */
function reverseClosure(edges: string[], name: string): string[] {
  const dependents = new Map<string, string[]>();
  for (const e of edges) {
    const [source, target] = e.split(/ -\w+-> /);
    dependents.set(target, [...(dependents.get(target) ?? []), source]);
  }
  const seen = new Set([name]);
  const todo = [name];
  while (todo.length)
    for (const d of dependents.get(todo.pop()!) ?? [])
      if (!seen.has(d)) {
        seen.add(d);
        todo.push(d);
      }
  return [...seen].sort();
}

describe('nx on the sample workspace', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copySample();
    await installPlugin(dir);
  });

  it('nx show projects lists every crate, the root one included, and release', async () => {
    const { stdout } = await runNx(dir, ['show', 'projects', '--json']);
    expect((JSON.parse(stdout) as string[]).sort()).toEqual([...ALL_CRATES, 'release'].sort());
    expect(ALL_CRATES).toContain('wasmtime-cli');
  });

  it('the installed plugin entry, which every nx command loads, loads no @nx/devkit barrel', () => {
    // The barrel pulls ~100 modules of nx into the process: ~50 ms of every command.
    const script = "require('crate-train'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))";
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })) as string[];
    expect(loaded.some((f) => f.includes(`${sep}crate-train${sep}src${sep}index.js`))).toBe(true);
    expect(loaded.filter((f) => f.includes(`${sep}@nx${sep}devkit${sep}`))).toEqual([]);
  });

  it('nx graph has the crate edges cargo reports, the dev-dependency cycle included', async () => {
    const file = join(dir, 'graph.json');
    await runNx(dir, ['graph', `--file=${file}`]);
    const graph = JSON.parse(readFileSync(file, 'utf8')).graph as { dependencies: Record<string, Array<{ target: string; type: string }>> };
    const ours = Object.entries(graph.dependencies)
      .flatMap(([source, deps]) => deps.map((d) => `${source}->${d.target}`))
      .sort();
    const cargo = [...new Set(cargoView(await cargoMetadata(dir)).edges.map((e) => e.replace(/ -\w+-> /, '->')))].sort();
    expect(ours).toEqual(cargo);
    expect(ours).toEqual(expect.arrayContaining(['wasmtime->wasmtime-test-util', 'wasmtime-test-util->wasmtime']));
    expect(graph.dependencies['wasmtime'].every((d) => d.type === 'static')).toBe(true);
  });

  it('nx show project explains the inferred targets', async () => {
    const { stdout } = await runNx(dir, ['show', 'project', 'wasmtime', '--json']);
    const p = JSON.parse(stdout);
    expect(p.targets.check.metadata.description).toMatch(/cargo check -p wasmtime/);
    expect(p.targets.check.options.command).toBe('cargo check -p wasmtime');
    expect(p.targets['semver-check'].executor).toBe('crate-train:semver-check');
    expect(p.tags).toEqual(['crate:published', 'crate:public']);
  });

  it('nx run-many -t check works with the dev-dependency cycle', async () => {
    const r = await runNx(dir, ['run-many', '-t', 'check', '--parallel=1'], { env: CARGO_ENV });
    expect(tasksRun(r.stdout, 'check')).toEqual(ALL_CRATES);
    expect(r.stdout).toMatch(/Successfully ran target check for 13 projects/);
  });
});

describe('the README commands', () => {
  it('nx g crate-train:init registers the plugin, then nx show projects lists the crates', async () => {
    const dir = copySample();
    await installPlugin(dir);
    // As after `npm install -D nx crate-train`: installed, not yet registered.
    const nxJsonFile = join(dir, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonFile, 'utf8'));
    delete nxJson.plugins;
    writeFileSync(nxJsonFile, JSON.stringify(nxJson, null, 2));

    const init = await runNx(dir, ['g', 'crate-train:init', '--ci=github']);
    expect(init.stdout + init.stderr).toMatch(/crate list scripts\/publish\.rs: \d+ crates to publish/);
    expect(JSON.parse(readFileSync(nxJsonFile, 'utf8')).plugins).toEqual(['crate-train']);
    expect(readFileSync(join(dir, '.github', 'workflows', 'crate-train-ci.yml'), 'utf8')).toContain('nx');
    const { stdout } = await runNx(dir, ['show', 'projects', '--json']);
    expect((JSON.parse(stdout) as string[]).sort()).toEqual([...ALL_CRATES, 'release'].sort());
  });
});

describe('an nx.json with comments, as Nx accepts it', () => {
  it('an executor (release:bump) and a generator (crate-train:release-note) read the plugin options from it', async () => {
    const dir = copySample();
    await installPlugin(dir);
    const nxJson = JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8'));
    nxJson.plugins = [{ plugin: 'crate-train', options: { projectName: 'Acme', github: { repository: 'acme/runtime' } } }];
    const text = `// Nx reads this file as JSON with comments.\n${JSON.stringify(nxJson, null, 2).replace('"plugins"', '/* crate-train and its options */ "plugins"')}\n`;
    writeFileSync(join(dir, 'nx.json'), text);
    expect(() => JSON.parse(text)).toThrow();

    const bump = await runNx(dir, ['run', 'release:bump', '--kind=patch', '--dry-run']);
    expect(bump.stdout).toContain('bump --kind=patch: Acme 5.0.0 -> 5.0.1 (dry run: nothing written)');
    await runNx(dir, ['g', 'crate-train:release-note', '--section=Fixed', '--text=A crash in the CLI.', '--pr=7']);
    expect(readFileSync(join(dir, 'RELEASES.md'), 'utf8')).toContain('* A crash in the CLI.\n  [#7](https://github.com/acme/runtime/pull/7)');
  });
});

describe('nx affected on a real git repository', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await setupSampleRepo());
  });

  it('a change to a leaf crate affects exactly it and its reverse dependents', async () => {
    const edges = cargoView(await cargoMetadata(dir)).edges;
    const expected = reverseClosure(edges, 'wasmtime-fiber');
    // Sanity: the closure is a proper subset (the change must not affect everything).
    expect(expected).toEqual(['wasmtime', 'wasmtime-c-api', 'wasmtime-cli', 'wasmtime-cli-flags', 'wasmtime-fiber', 'wasmtime-test-util', 'wasmtime-wasi']);

    appendFileSync(join(dir, 'crates', 'fiber', 'src', 'lib.rs'), '\n// a change\npub fn changed() {}\n');
    await commitAll(dir, 'Change wasmtime-fiber');
    const affected = async (...extra: string[]) =>
      (JSON.parse((await runNx(dir, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json', ...extra])).stdout) as string[]).sort();
    expect(await affected('--withTarget=check')).toEqual(expected);
    // wasmtime-fiber is published, so release:verify (which reads published crates' sources) is affected too.
    expect(await affected()).toEqual([...expected, 'release'].sort());

    const r = await runNx(dir, ['affected', '-t', 'check', '--base=HEAD~1', '--head=HEAD', '--parallel=1'], { env: CARGO_ENV });
    expect(tasksRun(r.stdout, 'check')).toEqual(expected);
  });

  it('task hashes follow (transitive) dependency sources, not unrelated files', async () => {
    const check = (project: string) => runNx(dir, ['run', `${project}:check`], { env: CARGO_ENV });
    const cached = (out: string) => /read the output from the cache|\[local cache\]|existing outputs match the cache/.test(out);

    await check('wasmtime');
    expect(cached((await check('wasmtime')).stdout)).toBe(true);

    // cranelift-entity is a transitive dependency (wasmtime -> winch-codegen -> cranelift-codegen -> cranelift-entity).
    appendFileSync(join(dir, 'cranelift', 'entity', 'src', 'lib.rs'), '\npub fn transitive_change() {}\n');
    expect(cached((await check('wasmtime')).stdout)).toBe(false);
    expect(cached((await check('wasmtime')).stdout)).toBe(true);

    // Unrelated: a crate that depends on wasmtime (not the reverse), and files of the root crate's folder that cargo does not read.
    appendFileSync(join(dir, 'crates', 'c-api', 'src', 'lib.rs'), '\npub fn unrelated() {}\n');
    appendFileSync(join(dir, 'RELEASES.md'), '\nA note.\n');
    writeFileSync(join(dir, 'README.md'), '# A readme\n');
    expect(cached((await check('wasmtime')).stdout)).toBe(true);

    // The root crate owns only its cargo files: RELEASES.md/README.md do not invalidate it, src/ does.
    await check('wasmtime-cli');
    writeFileSync(join(dir, 'README.md'), '# Another readme\n');
    expect(cached((await check('wasmtime-cli')).stdout)).toBe(true);
    appendFileSync(join(dir, 'src', 'main.rs'), '\n// touched\n');
    expect(cached((await check('wasmtime-cli')).stdout)).toBe(false);
  });
});

describe('bad input through nx show projects', () => {
  const failing = async (dir: string) => {
    const r = await runNx(dir, ['show', 'projects'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    return r.stdout + r.stderr;
  };

  it('an unparsable Cargo.toml fails with the file and line', async () => {
    const dir = copySample();
    await installPlugin(dir);
    appendFileSync(join(dir, 'crates', 'wasi', 'Cargo.toml'), '\n[dependencies\n');
    const lines = readFileSync(join(dir, 'crates', 'wasi', 'Cargo.toml'), 'utf8').split('\n').length;
    expect(await failing(dir)).toMatch(new RegExp(`crates/wasi/Cargo\\.toml:${lines - 1}:\\d+: invalid TOML`));
  });

  it('a missing member folder is named', async () => {
    const dir = copySample();
    await installPlugin(dir);
    rmSync(join(dir, 'pulley'), { recursive: true });
    expect(await failing(dir)).toMatch(/workspace member folder "pulley" does not exist/);
  });

  it('without a usable crate list, release is still a project: no list at all releases the workspace; a configured or broken one is named with the crateList option', async () => {
    const dir = copySample();
    rmSync(join(dir, 'scripts', 'publish.rs'));
    await installPlugin(dir);
    const { stdout } = await runNx(dir, ['show', 'projects', '--json']);
    expect((JSON.parse(stdout) as string[]).sort()).toEqual([...ALL_CRATES, 'release'].sort());
    // No list anywhere: every member without publish = false, and verify runs on them.
    const none = await runNx(dir, ['run', 'release:verify', '--skip-package'], { reject: false });
    expect([none.exitCode, none.stdout + none.stderr]).toEqual([
      0,
      expect.stringContaining('11 published crates (no crate list: every member without publish = false, in dependency order)'),
    ]);
    // A configured list that does not exist is never a silent fallback.
    await installPlugin(dir, { crateList: 'scripts/publish.rs' });
    const missing = await runNx(dir, ['run', 'release:verify', '--skip-package'], { reject: false });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout + missing.stderr).toContain(
      'scripts/publish.rs: crate list not found — create it with `const CRATES_TO_PUBLISH: &[&str] = &[...]` (and optionally `const PUBLIC_CRATES`), or set `crateList` in the crate-train plugin options in nx.json',
    );
    await installPlugin(dir);
    expect(missing.stdout + missing.stderr).not.toMatch(/Cannot find project/);
    // A directory where the list should be: said as such, never a raw EISDIR.
    mkdirSync(join(dir, 'scripts', 'publish.rs'));
    const directory = await runNx(dir, ['run', 'release:verify', '--skip-package'], { reject: false });
    expect(directory.exitCode).not.toBe(0);
    expect(directory.stdout + directory.stderr).toContain(
      'scripts/publish.rs: is a directory, not the crate list file — set `crateList` in the crate-train plugin options in nx.json to the .rs file that defines CRATES_TO_PUBLISH',
    );
    expect(directory.stdout + directory.stderr).not.toMatch(/EISDIR/);
  });

  it('a workspace without crates is an error, not an empty list', async () => {
    const dir = makeTempDir('empty-cargo');
    writeFileSync(join(dir, 'Cargo.toml'), '[workspace]\nmembers = []\n');
    mkdirSync(join(dir, 'crates'));
    await installPlugin(dir);
    expect(await failing(dir)).toMatch(/Cargo\.toml: the workspace has no crates/);
  });
});
