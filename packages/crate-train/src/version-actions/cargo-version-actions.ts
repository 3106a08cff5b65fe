// nx release's VersionActions for Cargo crates. A fixed release group is
// Wasmtime's model: the group's version is the release version (the root
// Cargo.toml's), and one bump moves every crate the way `release:bump` does
// (5.0.0 -> 6.0.0 and cranelift 0.92.0 -> 0.93.0 alike), so the manifests,
// version files and Cargo.lock get the very bytes `release:bump` writes. An
// independent group moves one published crate at a time, with every
// requirement on it.
import { join } from 'node:path';
import { readNxJson, type ProjectGraph, type Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';
import { readWorkspace } from '@crate-train/cargo';
import { connectRegistry, resolveRegistry } from '@crate-train/registry';
import { planCheckedBump } from '@crate-train/verify';
import { BumpError, bumpManifestText, currentVersionOf, manifestSites, resolveBump, scanToml, VersionRuleError, type BumpPlan } from '@crate-train/versions';
import { crateScope, listSource, resolveCrateList } from '@crate-train/crate-list';
import { rcompare, valid } from 'semver';
import { pluginOptionsIn, type CrateTrainOptions } from '../plugin/options';
import { cargoRootOf, crateVersion, requirementOn } from './manifest-read';
import { forgetRelease, releaseState } from './release-state';
import { bumpRequest } from './specifier';

type RegistryMetadata = Record<string, unknown> | undefined;

export class CargoVersionActions extends VersionActions {
  validManifestFilenames = ['Cargo.toml'];

  private get crateName(): string {
    return this.projectGraphNode.name;
  }

  private get crateDir(): string {
    return this.projectGraphNode.data.root;
  }

  private get fixed(): boolean {
    return this.releaseGroup.projectsRelationship === 'fixed';
  }

  /** The Cargo workspace root: Nx-root-relative and absolute. */
  private cargoRoot(tree: Tree): { rel: string; abs: string } {
    const rel = cargoRootOf(tree, this.crateDir);
    return { rel, abs: join(tree.root, rel) };
  }

  private options(tree: Tree): CrateTrainOptions {
    return pluginOptionsIn(readNxJson(tree), tree.root);
  }

  /**
   * The `release` project (in the crate list's folder, no Cargo.toml) stands for
   * the release itself: its version is the root version, and it carries the one
   * `nx-release-publish` target, so it belongs in release.projects.
   */
  private isReleaseProject(tree: Tree): boolean {
    return !tree.exists(this.crateDir === '.' || this.crateDir === '' ? 'Cargo.toml' : `${this.crateDir}/Cargo.toml`);
  }

  /** The `[package] name` of the Cargo workspace's root manifest (undefined for a virtual workspace). */
  private rootPackageName(tree: Tree): string | undefined {
    const path = this.rootVersion(tree).manifestPath;
    return manifestSites(scanToml(tree.read(path, 'utf-8')!, path)).packageName;
  }

  private rootVersion(tree: Tree): { currentVersion: string; manifestPath: string } {
    const rel = cargoRootOf(tree, this.crateDir);
    const manifestPath = rel ? `${rel}/Cargo.toml` : 'Cargo.toml';
    const text = tree.read(manifestPath, 'utf-8');
    if (text === null) throw new Error(`${this.crateName}: no Cargo.toml in ${this.crateDir} nor a Cargo workspace above it`);
    return { currentVersion: currentVersionOf(text), manifestPath };
  }

  async readCurrentVersionFromSourceManifest(tree: Tree): Promise<{ currentVersion: string; manifestPath: string }> {
    if (this.isReleaseProject(tree)) return this.rootVersion(tree);
    const v = crateVersion(tree, this.crateDir);
    return { currentVersion: v.version, manifestPath: v.manifestPath };
  }

  /** The newest non-yanked version in the configured registry's sparse index (null when it has none). */
  async readCurrentVersionFromRegistry(tree: Tree, metadata: RegistryMetadata): Promise<{ currentVersion: string | null; logText: string }> {
    const name = typeof metadata?.registry === 'string' ? metadata.registry : this.options(tree).registry;
    const reg = resolveRegistry({ name, cwd: this.cargoRoot(tree).abs });
    const { index } = await connectRegistry(reg);
    // Nx asks a fixed group once, for its first project: the group's version is the release's, i.e. the root package's.
    const crate = this.fixed || this.isReleaseProject(tree) ? (this.rootPackageName(tree) ?? this.crateName) : this.crateName;
    const versions = (await index.lines(crate))
      .filter((l) => !l.yanked && valid(l.vers))
      .map((l) => l.vers)
      .sort(rcompare);
    return { currentVersion: versions[0] ?? null, logText: `registry \`${reg.name}\` (index ${reg.indexUrl}), crate ${crate}` };
  }

  async readCurrentVersionOfDependency(tree: Tree, _graph: ProjectGraph, dependencyProjectName: string) {
    if (this.isReleaseProject(tree)) return { currentVersion: null, dependencyCollection: null };
    return requirementOn(tree, this.crateDir, dependencyProjectName);
  }

  override async calculateNewVersion(
    current: string | null,
    newVersionInput: string,
    _reason: string,
    _reasonData: Record<string, unknown>,
    _preid: string,
  ): Promise<{ newVersion: string; logText: string }> {
    const who = `nx release version ${newVersionInput}`;
    const request = bumpRequest(newVersionInput, who);
    const tree = this.tree;
    const root = this.cargoRoot(tree).abs;
    if (this.fixed) {
      // The group's version is the release version; the checked plan is made
      // now, so a tree that breaks a crate-list rule stops before any write.
      const plan = planCheckedBump(root, { ...request, options: this.options(tree) });
      // A new run (the programmatic API may version twice in one process, or stop half-way): nothing of an earlier one is kept.
      forgetRelease(root);
      releaseState(root).plans.set(plan.next, plan);
      const moved = plan.crates.map((c) => `${c.name} ${c.from} -> ${c.to}`).join(', ');
      return {
        newVersion: plan.next,
        logText: `❓ crate-train bump --kind=${plan.kind}: release version ${plan.current} -> ${plan.next} (${plan.crates.length} crates move: ${moved})`,
      };
    }
    if (current === null) throw new Error(`${who}: no current version for crate ${this.crateName}`);
    if (!this.isReleaseProject(tree)) this.refuseUnpublished(root, tree);
    let resolved: { kind: string; version: string };
    try {
      resolved = resolveBump(current, request.kind, request.version, `crate ${this.crateName} (${this.crateDir}/Cargo.toml) version`);
    } catch (e) {
      if (e instanceof VersionRuleError) throw new BumpError([e.message]);
      throw e;
    }
    const { kind, version } = resolved;
    return { newVersion: version, logText: `❓ crate-train bump --kind=${kind}: ${this.crateName} ${current} -> ${version}` };
  }

  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    return this.fixed ? this.applyFixedPlan(tree, newVersion) : this.applyIndependent(tree, newVersion);
  }

  /** Requirements on bumped crates were rewritten with their versions (every table, kept `=`), so only a report is left. */
  async updateProjectDependencies(_tree: Tree, _graph: ProjectGraph, dependenciesToUpdate: Record<string, string>): Promise<string[]> {
    const n = Object.keys(dependenciesToUpdate).length;
    return n ? [`✍️  Requirements of ${this.crateName} on ${Object.keys(dependenciesToUpdate).join(', ')} follow their new versions (operators kept)`] : [];
  }

  // Nx gives calculateNewVersion no tree; init() does, and it is the run's one tree.
  private tree!: Tree;
  override async init(tree: Tree): Promise<void> {
    this.tree = tree;
    await super.init(tree);
  }

  /** release:bump moves only published crates (CRATES_TO_PUBLISH, under the folders the list governs); so does an independent group. */
  private refuseUnpublished(root: string, tree: Tree): void {
    const opts = this.options(tree);
    const ws = readWorkspace(root);
    const { list, listFile } = resolveCrateList(root, opts.crateList, ws.crates, opts.publicCrates);
    const scope = crateScope(ws.crates, list, { crateRoots: opts.crateRoots, listFile: listFile ?? 'the workspace', workspaceRoot: root });
    if (!scope.published.has(this.crateName)) {
      throw new BumpError([
        `${this.crateName} is not published (not in CRATES_TO_PUBLISH of ${listSource(listFile)}, or outside the folders it governs), so release:bump never moves it: ` +
          `leave it out of release.projects, or add it to the list`,
      ]);
    }
  }

  private planFor(root: string, newVersion: string, tree: Tree): BumpPlan {
    const state = releaseState(root);
    let plan = state.plans.get(newVersion);
    if (!plan) {
      plan = planCheckedBump(root, { version: newVersion, options: this.options(tree) });
      state.plans.set(newVersion, plan);
    }
    return plan;
  }

  private applyFixedPlan(tree: Tree, newVersion: string): string[] {
    const { rel, abs } = this.cargoRoot(tree);
    const state = releaseState(abs);
    const plan = this.planFor(abs, newVersion, tree);
    if (state.written && state.written !== plan) {
      throw new Error(
        `crate-train/version-actions: two versions (${state.written.next}, ${plan.next}) for one fixed group in ${abs}: version it in one nx release run`,
      );
    }
    if (!state.written) {
      // Manifests and version files go through Nx's tree (shown by --dry-run, written together);
      // Cargo.lock is rewritten in afterAllProjectsVersioned, once the manifests are on disk.
      for (const f of plan.files) if (f.path !== 'Cargo.lock') tree.write(rel ? `${rel}/${f.path}` : f.path, f.after);
      state.written = plan;
    }
    if (this.isReleaseProject(tree)) return [`✍️  Release ${plan.current} -> ${plan.next} (the root Cargo.toml's version)`];
    const mine = plan.crates.find((c) => c.name === this.crateName);
    if (!mine) {
      const v = crateVersion(tree, this.crateDir).version;
      return [`⏩ ${this.crateName} stays at ${v}: release:bump moves only the crates of CRATES_TO_PUBLISH (and those inheriting [workspace.package] version)`];
    }
    const where = mine.listed ? mine.manifestPath : `${mine.manifestPath} (inherited from [workspace.package])`;
    return [`✍️  New version ${mine.to} (release ${plan.next}) written for ${this.crateName} in ${where}`];
  }

  private applyIndependent(tree: Tree, newVersion: string): string[] {
    if (this.isReleaseProject(tree)) return [`⏩ ${this.crateName} has no manifest of its own: in an independent group each crate carries its version`];
    const { rel, abs } = this.cargoRoot(tree);
    const own = crateVersion(tree, this.crateDir);
    if (own.inherited) {
      throw new BumpError([
        `${this.crateName} inherits its version from [workspace.package] (${own.manifestPath}), which other crates share: ` +
          `version it in a fixed release group (projectsRelationship "fixed"), or give it its own [package] version`,
      ]);
    }
    const ws = readWorkspace(abs);
    const change = { from: own.version, to: newVersion };
    releaseState(abs).changes.set(this.crateName, change);
    const deps = new Map([[this.crateName, change]]);
    const problems: string[] = [];
    const manifests = new Set(['Cargo.toml', ...ws.crates.map((c) => c.manifestPath)]);
    const ownManifest = rel ? own.manifestPath.slice(rel.length + 1) : own.manifestPath;
    for (const m of manifests) {
      const path = rel ? `${rel}/${m}` : m;
      const text = tree.read(path, 'utf-8');
      if (text === null) continue;
      const r = bumpManifestText(text, m, { package: m === ownManifest ? change : undefined, deps });
      problems.push(...r.problems);
      if (r.text !== text) tree.write(path, r.text);
    }
    if (problems.length) throw new BumpError(problems);
    return [`✍️  New version ${newVersion} written to ${own.manifestPath}, and every requirement on ${this.crateName} follows it`];
  }
}
