// CargoVersionActions in process, on real copies of the sample through Nx's own
// FsTree (what nx release hands it); the nx CLI runs are in version-actions.e2e.spec.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectGraph, Tree } from '@nx/devkit';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { run } from '@crate-train/proc';
import { copySample, SAMPLE_CRATES, tempDirs } from '@crate-train/testing';
import { afterAllProjectsVersioned, CargoVersionActions } from './index';
import { bumpRequest } from './specifier';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

type Relationship = 'fixed' | 'independent';

async function actionsFor(tree: Tree, project: string, relationship: Relationship): Promise<CargoVersionActions> {
  const root = project === 'release' ? 'scripts' : SAMPLE_CRATES[project]!.dir;
  const group = { name: '__default__', projects: [project], projectsRelationship: relationship } as never;
  const node = { name: project, type: 'lib', data: { root } } as never;
  const config = { manifestRootsToUpdate: [], preserveLocalDependencyProtocols: false } as never;
  const a = new CargoVersionActions(group, node, config);
  await a.init(tree);
  await a.validate(tree);
  return a;
}

const GRAPH = {} as ProjectGraph;

describe('bumpRequest (nx specifiers in crate-train terms)', () => {
  it('takes Wasmtime kinds and versions', () => {
    expect(bumpRequest('major', 'x')).toEqual({ kind: 'major' });
    expect(bumpRequest('rc', 'x')).toEqual({ kind: 'rc' });
    expect(bumpRequest('v6.0.0', 'x')).toEqual({ version: '6.0.0' });
    expect(bumpRequest('6.0.0-dev', 'x')).toEqual({ version: '6.0.0-dev' });
  });
  it('refuses what Wasmtime never does, saying what to use', () => {
    expect(() => bumpRequest('minor', 'nx release version minor')).toThrow(/"minor" is not a crate-train bump: .*major .*patch/);
    expect(() => bumpRequest('premajor', 'x')).toThrow(/pre-releases are "dev" \(X\.Y\.Z-dev\) and "rc"/);
    expect(() => bumpRequest('banana', 'x')).toThrow(/"banana" is neither a crate-train bump kind nor a version/);
  });
});

describe('CargoVersionActions', () => {
  it('reads [package] version, [workspace.package] version when inherited, and the root version for the release project', async () => {
    const tree = new FsTree(copySample(tmp.make('va-read')), false);
    expect(await (await actionsFor(tree, 'cranelift-entity', 'fixed')).readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '0.92.0',
      manifestPath: 'cranelift/entity/Cargo.toml',
    });
    expect(await (await actionsFor(tree, 'wasmtime', 'fixed')).readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '5.0.0',
      manifestPath: 'Cargo.toml',
    });
    expect(await (await actionsFor(tree, 'release', 'fixed')).readCurrentVersionFromSourceManifest(tree)).toEqual({
      currentVersion: '5.0.0',
      manifestPath: 'Cargo.toml',
    });
  });

  it('reads requirements through [workspace.dependencies], renames and target tables', async () => {
    const tree = new FsTree(copySample(tmp.make('va-deps')), false);
    const winch = await actionsFor(tree, 'winch-codegen', 'fixed');
    expect(await winch.readCurrentVersionOfDependency(tree, GRAPH, 'cranelift-codegen')).toEqual({
      currentVersion: '=0.92.0',
      dependencyCollection: 'dependencies',
    });
    const environ = await actionsFor(tree, 'wasmtime-environ', 'fixed');
    expect(await environ.readCurrentVersionOfDependency(tree, GRAPH, 'cranelift-entity')).toEqual({
      currentVersion: '=0.92.0',
      dependencyCollection: 'dependencies',
    });
    const wasmtime = await actionsFor(tree, 'wasmtime', 'fixed');
    expect(await wasmtime.readCurrentVersionOfDependency(tree, GRAPH, 'wasmtime-fiber')).toEqual({
      currentVersion: '=5.0.0',
      dependencyCollection: 'target.cfg(unix).dependencies',
    });
    // Path-only dev-dependency: no requirement to follow.
    expect(await wasmtime.readCurrentVersionOfDependency(tree, GRAPH, 'wasmtime-test-util')).toEqual({ currentVersion: null, dependencyCollection: null });
  });

  it('independent: moves one crate and every requirement on it (workspace, renamed inline, `=` kept), then Cargo.lock offline', async () => {
    const dir = copySample(tmp.make('va-independent'));
    const tree = new FsTree(dir, false);
    const entity = await actionsFor(tree, 'cranelift-entity', 'independent');
    const { newVersion } = await entity.calculateNewVersion('0.92.0', 'major', 'USER_SPECIFIER', {}, '');
    expect(newVersion).toBe('0.93.0');
    await entity.updateProjectVersion(tree, newVersion);
    const changes = tree.listChanges();
    expect(changes.map((c) => c.path).sort()).toEqual(['Cargo.toml', 'cranelift/entity/Cargo.toml', 'crates/environ/Cargo.toml']);
    flushChanges(dir, changes);
    expect(readFileSync(join(dir, 'Cargo.toml'), 'utf8')).toContain('cranelift-entity = { path = "cranelift/entity", version = "=0.93.0" }');
    expect(readFileSync(join(dir, 'crates/environ/Cargo.toml'), 'utf8')).toContain(
      'entity = { package = "cranelift-entity", path = "../../cranelift/entity", version  = "=0.93.0" }',
    );
    const { changedFiles } = await afterAllProjectsVersioned(dir, {});
    expect(changedFiles).toEqual(['Cargo.lock']);
    expect(readFileSync(join(dir, 'Cargo.lock'), 'utf8')).toMatch(/name = "cranelift-entity"\nversion = "0\.93\.0"/);
    await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline', '--no-deps'], { cwd: dir });
  });

  it('independent: refuses a crate that shares [workspace.package] version, and one release:bump never moves', async () => {
    const tree = new FsTree(copySample(tmp.make('va-refuse')), false);
    const wasmtime = await actionsFor(tree, 'wasmtime', 'independent');
    await expect(wasmtime.updateProjectVersion(tree, '6.0.0')).rejects.toThrow(
      /wasmtime inherits its version from \[workspace\.package\] \(Cargo\.toml\).*projectsRelationship "fixed"/,
    );
    const testUtil = await actionsFor(tree, 'wasmtime-test-util', 'independent');
    await expect(testUtil.calculateNewVersion('5.0.0', 'patch', 'USER_SPECIFIER', {}, '')).rejects.toThrow(
      /wasmtime-test-util is not published .*leave it out of release\.projects/,
    );
    expect(tree.listChanges()).toEqual([]);
  });

  it('fixed: the group version is the release version; each crate moves by the kind (0.92.0 -> 0.93.0 with 5.0.0 -> 6.0.0)', async () => {
    const dir = copySample(tmp.make('va-fixed'));
    const tree = new FsTree(dir, false);
    const entity = await actionsFor(tree, 'cranelift-entity', 'fixed');
    const { newVersion, logText } = await entity.calculateNewVersion('0.92.0', 'major', 'USER_SPECIFIER', {}, '');
    expect(newVersion).toBe('6.0.0');
    expect(logText).toContain('cranelift-entity 0.92.0 -> 0.93.0');
    expect(await entity.updateProjectVersion(tree, newVersion)).toEqual([
      expect.stringContaining('New version 0.93.0 (release 6.0.0) written for cranelift-entity'),
    ]);
    const testUtil = await actionsFor(tree, 'wasmtime-test-util', 'fixed');
    expect(await testUtil.updateProjectVersion(tree, newVersion)).toEqual([expect.stringContaining('inherited from [workspace.package]')]);
    // Cargo.lock is left to afterAllProjectsVersioned; a dry run prints it and writes nothing.
    expect(tree.listChanges().map((c) => c.path)).not.toContain('Cargo.lock');
    const lock = readFileSync(join(dir, 'Cargo.lock'), 'utf8');
    const { changedFiles } = await afterAllProjectsVersioned(dir, { dryRun: true });
    expect(changedFiles).toEqual([]);
    expect(readFileSync(join(dir, 'Cargo.lock'), 'utf8')).toBe(lock);
  });
});
