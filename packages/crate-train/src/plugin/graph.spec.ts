// createNodesV2 + createDependencies called in process, as Nx calls them,
// checked against real `cargo metadata` and for the shape of each project.
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cacheDir, logger, workspaceRoot } from '@nx/devkit';
import { cargoMetadata, copySample, makeTempDir, removeTempDirs } from '@crate-train/testing';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { readCrateListSource } from './cache';
import { cargoView, inferInProcess, nxEdges, pluginView } from '../testing/graph';
import { graphCacheFile, WorkspaceGraphs } from './workspace-graphs';
import { releaseExecutorNames } from './release-targets';

// Every test copies the sample to a new folder: a new workspace root, so the plugin's state starts empty.
afterAll(removeTempDirs);

describe('graph vs cargo metadata', () => {
  it('matches on the sample: crates, folders, path-dependency edges by kind', async () => {
    const dir = copySample();
    const g = await inferInProcess(dir);
    const ours = pluginView(g);
    expect(ours).toEqual(cargoView(await cargoMetadata(dir)));
    expect(Object.keys(ours.crates)).toHaveLength(13);
    // The dev-dependency cycle is in the graph, both ways.
    expect(nxEdges(g)).toEqual(expect.arrayContaining(['wasmtime->wasmtime-test-util', 'wasmtime-test-util->wasmtime']));
    // Nx edges are the kind-less union of the cargo edges.
    expect(nxEdges(g)).toEqual([...new Set(ours.edges.map((e) => e.replace(/ -\w+-> /, '->')))].sort());
  });

  it('matches on a synthetic 300-crate workspace', async () => {
    const dir = join(makeTempDir('synthetic-300'), 'ws');
    const info = generateSyntheticWorkspace(dir, { crates: 300, seed: 11 });
    const g = await inferInProcess(dir);
    const ours = pluginView(g);
    const cargo = cargoView(await cargoMetadata(dir));
    expect(ours).toEqual(cargo);
    expect(Object.keys(ours.crates).sort()).toEqual([...info.names].sort());
    // Every edge of the generator's plan is there, by kind.
    const expected = new Set(info.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`));
    expect(new Set(ours.edges)).toEqual(expected);
    // Excluded folders never become projects.
    for (const ex of info.excluded) expect([...g.projects.values()].some((p) => p.root === ex)).toBe(false);
  });
});

describe('projects', () => {
  let g: Awaited<ReturnType<typeof inferInProcess>>;
  beforeAll(async () => {
    g = await inferInProcess(copySample());
  });
  const project = (name: string) => {
    const p = g.projects.get(name);
    if (!p) throw new Error(`no project ${name}`);
    return p;
  };

  it('names projects after crates, rooted at their folders, with crate-list tags', () => {
    expect(project('wasmtime-cli')).toMatchObject({ root: '.', projectType: 'application', tags: ['crate:published', 'crate:public'] });
    expect(project('wasmtime-environ')).toMatchObject({ root: 'crates/environ', projectType: 'library', tags: ['crate:published', 'crate:internal'] });
    expect(project('wasmtime-test-util').tags).toEqual(['crate:unpublished', 'crate:internal']);
    expect(project('cranelift-codegen-meta').root).toBe('cranelift/codegen/meta');
    expect(project('wasmtime').metadata!.description).toBe('High-level API to expose the Wasmtime runtime');
    expect(g.projects.has('wasmtime-fuzz')).toBe(false);
  });

  it('gives each crate cacheable cargo targets that run in the workspace root with -p', () => {
    const t = project('cranelift-codegen').targets!;
    for (const name of ['check', 'test', 'clippy', 'build']) {
      expect(t[name]).toMatchObject({
        executor: 'nx:run-commands',
        cache: true,
        options: { command: `cargo ${name} -p cranelift-codegen`, cwd: '{workspaceRoot}' },
      });
      expect(t[name].metadata).toMatchObject({
        description: expect.stringContaining(`cargo ${name} -p cranelift-codegen`),
        help: { command: `cargo ${name} --help` },
      });
      expect(t[name].inputs).toEqual(
        expect.arrayContaining([
          'crateSources',
          '^crateSources',
          '{workspaceRoot}/Cargo.lock',
          '{workspaceRoot}/Cargo.toml',
          '{workspaceRoot}/rust-toolchain.toml',
          { runtime: 'rustc --version' },
          { env: 'RUSTFLAGS' },
        ]),
      );
      expect(t[name].dependsOn).toBeUndefined(); // a dev-dependency cycle must not become a task cycle
    }
  });

  it("limits a crate's own inputs to its files: nested crates excluded, the root crate only its cargo files", () => {
    expect(project('cranelift-codegen').namedInputs!['crateSources']).toEqual(['{projectRoot}/**/*', '!{projectRoot}/meta/**/*']);
    const rootInputs = project('wasmtime-cli').namedInputs!['crateSources'] as string[];
    expect(rootInputs).toEqual(expect.arrayContaining(['{projectRoot}/Cargo.toml', '{projectRoot}/src/**/*', '{projectRoot}/build.rs']));
    expect(rootInputs).not.toContain('{projectRoot}/**/*');
  });

  it('adds semver-check to public crates only', () => {
    expect(project('wasmtime').targets!['semver-check']).toEqual(
      expect.objectContaining({ executor: 'crate-train:semver-check', cache: false, options: { crate: 'wasmtime' } }),
    );
    expect(project('wasmtime-environ').targets!['semver-check']).toBeUndefined();
  });

  it('infers the release project in the crate list folder with a target per release executor', () => {
    const release = project('release');
    expect(release.root).toBe('scripts');
    expect(Object.keys(release.targets!).sort()).toEqual(releaseExecutorNames().sort());
    expect(releaseExecutorNames()).toEqual(expect.arrayContaining(['bump', 'verify', 'cut', 'release-latest', 'patch', 'publish', 'tag', 'pr']));
    for (const [name, t] of Object.entries(release.targets!)) {
      expect(t.executor).toBe(`crate-train:${name}`);
      expect(t.metadata?.description).toEqual(expect.any(String));
      expect(t.cache).toBe(name === 'verify');
    }
    const inputs = release.targets!['verify'].inputs!;
    expect(inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/**/Cargo.toml',
        '{workspaceRoot}/Cargo.lock',
        '{workspaceRoot}/scripts/publish.rs',
        '{workspaceRoot}/crates/c-api/include/wasmtime.h',
        '{workspaceRoot}/crates/wasmtime/**/*',
        '{workspaceRoot}/src/**/*',
      ]),
    );
    // Unpublished crates are not verify inputs.
    expect(inputs).not.toContain('{workspaceRoot}/crates/test-util/**/*');
  });

  it('honours option names for targets, the release project and the crate list', async () => {
    const dir = copySample();
    mkdirSync(join(dir, 'release'));
    renameSync(join(dir, 'scripts', 'publish.rs'), join(dir, 'release', 'crates.rs'));
    const custom = await inferInProcess(dir, {
      crateList: 'release/crates.rs',
      releaseProject: 'train',
      targets: { check: 'cargo-check', test: 'test', clippy: 'lint', build: 'build', semverCheck: 'semver' },
    });
    expect(custom.projects.get('train')!.root).toBe('release');
    expect(Object.keys(custom.projects.get('wasmtime')!.targets!).sort()).toEqual(['build', 'cargo-check', 'lint', 'semver', 'test']);
  });
});

describe('without or with a misplaced crate list', () => {
  it('without any crate list, the workspace is the list: every member without publish = false is published, none public; all release targets exist', async () => {
    const dir = copySample();
    rmSync(join(dir, 'scripts', 'publish.rs'));
    // What the plugin options resolve to when no list is found anywhere.
    const g = await inferInProcess(dir, { crateList: false });
    const release = g.projects.get('release')!;
    expect(release.root).toBe('scripts');
    expect(Object.keys(release.targets!).sort()).toEqual(releaseExecutorNames().sort());
    expect(release.metadata!.description).toBe(
      'The release train of Wasmtime: bump, verify, cut, release, patch and publish the 11 crates of the workspace (no crate list: every member without publish = false)',
    );
    expect(g.projects.get('wasmtime')!.tags).toEqual(['crate:published', 'crate:internal']);
    expect(g.projects.get('wasmtime-test-util')!.tags).toEqual(['crate:unpublished', 'crate:internal']);
    expect(Object.keys(g.projects.get('wasmtime')!.targets!)).not.toContain('semver-check');
    // publicCrates makes a crate public (and semver-checked).
    const withPublic = await inferInProcess(dir, { crateList: false, publicCrates: ['wasmtime'] });
    expect(withPublic.projects.get('wasmtime')!.tags).toEqual(['crate:published', 'crate:public']);
  });

  it('a configured crate list that does not exist is never a silent fallback: the release project names the file and the crateList option', async () => {
    const dir = copySample();
    rmSync(join(dir, 'scripts', 'publish.rs'));
    const missing = await inferInProcess(dir, { crateList: 'scripts/publish.rs' });
    expect(missing.projects.get('release')!.metadata!.description).toBe(
      'The release train of Wasmtime — not usable until the crate list is fixed: scripts/publish.rs: crate list not found — create it with `const CRATES_TO_PUBLISH: &[&str] = &[...]` (and optionally `const PUBLIC_CRATES`), or set `crateList` in the crate-train plugin options in nx.json',
    );
    expect(missing.projects.get('wasmtime')!.tags).toEqual(['crate:published']);
    expect(missing.projects.get('wasmtime-test-util')!.tags).toEqual(['crate:unpublished']);
    // A crateList option naming a file that does not exist: the same, under that name.
    const named = await inferInProcess(dir, { crateList: 'ci/crates.rs' });
    expect(named.projects.get('release')!.root).toBe('ci');
    expect(named.projects.get('release')!.metadata!.description).toMatch(/fixed: ci\/crates\.rs: crate list not found — .*set `crateList`/);
  });

  it('a crate list that is a directory is reported as such (no raw EISDIR), and the release project stays', async () => {
    const dir = copySample();
    rmSync(join(dir, 'scripts', 'publish.rs'));
    mkdirSync(join(dir, 'scripts', 'publish.rs'));
    const g = await inferInProcess(dir);
    expect(g.projects.get('release')!.metadata!.description).toBe(
      'The release train of Wasmtime — not usable until the crate list is fixed: scripts/publish.rs: is a directory, not the crate list file — set `crateList` in the crate-train plugin options in nx.json to the .rs file that defines CRATES_TO_PUBLISH',
    );
    // Creating the file later changes the cache key: the list is read.
    rmSync(join(dir, 'scripts', 'publish.rs'), { recursive: true });
    writeFileSync(join(dir, 'scripts', 'publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["wasmtime"];\nconst PUBLIC_CRATES: &[&str] = &["wasmtime"];\n');
    const fixed = await inferInProcess(dir);
    expect(fixed.projects.get('release')!.metadata!.description).toMatch(
      /: bump, verify, cut, release, patch and publish the 1 crates of scripts\/publish\.rs$/,
    );
  });

  it('readCrateListSource never throws: a missing or directory list becomes a problem naming the file and the crateList option (unreadable: see the crate-list spec)', () => {
    const dir = makeTempDir('list-source');
    expect(readCrateListSource(dir, 'scripts/publish.rs')).toEqual({
      problem: expect.stringMatching(/^scripts\/publish\.rs: crate list not found — .*`crateList`/),
    });
    mkdirSync(join(dir, 'scripts', 'publish.rs'), { recursive: true });
    expect(readCrateListSource(dir, 'scripts/publish.rs')).toEqual({
      problem: expect.stringMatching(/^scripts\/publish\.rs: is a directory, not the crate list file — set `crateList`/),
    });
    // A path through a file (ENOTDIR) is "not found" too.
    writeFileSync(join(dir, 'file'), '');
    expect(readCrateListSource(dir, 'file/publish.rs').problem).toMatch(/^file\/publish\.rs: crate list not found/);
  });

  it('warns instead of putting the release project on the root crate', async () => {
    const dir = copySample();
    renameSync(join(dir, 'scripts', 'publish.rs'), join(dir, 'publish.rs'));
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      const g = await inferInProcess(dir, { crateList: 'publish.rs' });
      expect(g.projects.has('release')).toBe(false);
      expect(g.projects.get('wasmtime-cli')!.root).toBe('.');
      expect(g.projects.get('wasmtime')!.tags).toEqual(['crate:published', 'crate:public']);
      expect(warn.mock.calls.flat().join('\n')).toMatch(/crate list publish\.rs is in the folder of crate wasmtime-cli/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('content-hash cache', () => {
  it('recomputes when a manifest changes and reuses the persisted model in a new process', async () => {
    const dir = copySample();
    // The plugin's state for this workspace, with its model persisted where a later process finds it.
    const file = join(dir, '.nx', 'cache', 'crate-train', 'graph.json');
    const process1 = new WorkspaceGraphs(dir, file);
    const first = await inferInProcess(dir, {}, process1);
    expect(nxEdges(first)).not.toContain('wasmtime-fiber->cranelift-entity');

    // A change to one manifest is seen at once.
    appendFileSync(join(dir, 'crates', 'fiber', 'Cargo.toml'), '\n[dependencies]\ncranelift-entity = { workspace = true }\n');
    const second = await inferInProcess(dir, {}, process1);
    expect(nxEdges(second)).toContain('wasmtime-fiber->cranelift-entity');

    // A new process (empty memory) reads the persisted model: prove it by planting a marker in it.
    expect(existsSync(file)).toBe(true);
    const disk = JSON.parse(readFileSync(file, 'utf8'));
    disk.model.workspaces[0].crates.find((c: { name: string }) => c.name === 'wasmtime').description = 'from the disk cache';
    writeFileSync(file, JSON.stringify(disk));
    const process2 = new WorkspaceGraphs(dir, file);
    const third = await inferInProcess(dir, {}, process2);
    expect(third.projects.get('wasmtime')!.metadata!.description).toBe('from the disk cache');

    // Adding src/main.rs to a library crate changes the key (projectType depends on it).
    writeFileSync(join(dir, 'crates', 'fiber', 'src', 'main.rs'), 'fn main() {}\n');
    const fourth = await inferInProcess(dir, {}, process2);
    expect(fourth.projects.get('wasmtime')!.metadata!.description).toBe('High-level API to expose the Wasmtime runtime');
    expect((fourth.projects.get('wasmtime-fiber')!.metadata!['crate'] as { bins: string[] }).bins).toEqual(['wasmtime-fiber']);
  });

  it('keys on the options and the crate list too', async () => {
    const dir = copySample();
    const a = await inferInProcess(dir);
    expect(a.projects.get('wasmtime-environ')!.tags).toContain('crate:internal');
    const list = join(dir, 'scripts', 'publish.rs');
    writeFileSync(list, readFileSync(list, 'utf8').replace(/const PUBLIC_CRATES: &\[&str\] = &\[/, '$&\n    "wasmtime-environ",'));
    const b = await inferInProcess(dir);
    expect(b.projects.get('wasmtime-environ')!.tags).toContain('crate:public');
    const c = await inferInProcess(dir, { releaseProject: 'ship' });
    expect(c.projects.has('ship')).toBe(true);
  });
});

describe('where the crate model persists', () => {
  it("under Nx's cacheDir for the workspace this process runs in, one file per root; in memory only for another root", () => {
    const file = graphCacheFile(workspaceRoot)!;
    expect(dirname(file)).toBe(join(cacheDir, 'crate-train'));
    expect(basename(file)).toMatch(/^graph-[0-9a-f]{12}\.json$/);
    expect(graphCacheFile(join(workspaceRoot, '.'))).toBe(graphCacheFile(workspaceRoot));
    expect(graphCacheFile(copySample())).toBeUndefined();
  });
});

describe('bad input', () => {
  it('fails with file and line on an unparsable Cargo.toml', async () => {
    const dir = copySample();
    appendFileSync(join(dir, 'cranelift', 'entity', 'Cargo.toml'), '\n[features\n');
    await expect(inferInProcess(dir)).rejects.toThrow(/^cranelift\/entity\/Cargo\.toml:\d+:\d+: invalid TOML/);
  });

  it('names a missing member folder', async () => {
    const dir = copySample();
    rmSync(join(dir, 'winch'), { recursive: true });
    await expect(inferInProcess(dir)).rejects.toThrow(/workspace member folder "winch\/codegen" does not exist/);
  });

  it('names the file of a broken crate list', async () => {
    const dir = copySample();
    writeFileSync(join(dir, 'scripts', 'publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["wasmtime", 7];\n');
    await expect(inferInProcess(dir)).rejects.toThrow(/^scripts\/publish\.rs:1:\d+: `CRATES_TO_PUBLISH` may only contain string literals/);
  });

  it('fails instead of returning no projects when no manifest is a workspace root', async () => {
    const top = makeTempDir('no-cargo-root');
    mkdirSync(join(top, 'tools', 'x', 'src'), { recursive: true });
    writeFileSync(join(top, 'tools', 'x', 'Cargo.toml'), '[package]\nname = "x"\nversion = "0.1.0"\n');
    await expect(inferInProcess(top)).rejects.toThrow(/^tools\/x\/Cargo\.toml: no Cargo workspace found: none of the 1 Cargo\.toml files/);
  });

  it('prefixes paths of a Cargo workspace below the Nx root', async () => {
    const top = makeTempDir('nested-cargo');
    cpSync(copySample(), join(top, 'rust'), { recursive: true });
    appendFileSync(join(top, 'rust', 'pulley', 'Cargo.toml'), '\nbroken = = 1\n');
    await expect(inferInProcess(top)).rejects.toThrow(/^rust\/pulley\/Cargo\.toml:\d+:\d+: invalid TOML/);
  });
});
