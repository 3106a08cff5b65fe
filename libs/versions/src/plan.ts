// The bump as a plan: every file's text before and after, computed in memory
// and validated before anything is written. applyPlan writes it all or, on any
// failure, puts back every file it already wrote.

import { existsSync, readFileSync, renameSync, statSync, chmodSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace, type CargoWorkspace, type CrateInfo } from '@crate-train/cargo';
import { crateListWithSource, crateScope, type CrateList, type CrateScope } from '@crate-train/crate-list';
import { lockfileEdits } from './lockfile';
import { applyEdits, manifestEdits, type TextEdit, type VersionChange } from './manifest-edit';
import { manifestSites } from './manifest-sites';
import { scanToml, tomlLeaves, type TomlString } from './toml-scan';
import { nextVersion, resolveBump, VersionRuleError, type BumpKind } from './version-rules';
import { scanVersionFile, versionFileEdits, type VersionFileRule } from './version-files';

export class BumpError extends Error {
  constructor(readonly problems: string[]) {
    super(`the bump was not applied (no file changed):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BumpError';
  }
}

export interface PlannedFile {
  /** Relative to the workspace root, with '/'. */
  path: string;
  before: string;
  after: string;
}

export interface CrateBump {
  name: string;
  from: string;
  to: string;
  manifestPath: string;
  /** In CRATES_TO_PUBLISH; otherwise it moves only because it inherits [workspace.package] version. */
  listed: boolean;
}

export interface BumpPlan {
  root: string;
  kind: BumpKind;
  /** The root version (root Cargo.toml's first version), before and after. */
  current: string;
  next: string;
  /** Every crate whose version changes, in CRATES_TO_PUBLISH order, then the others by name. */
  crates: CrateBump[];
  /** Only the files whose text changes, in a stable order. */
  files: PlannedFile[];
  /** Things the maintainer should know that do not stop the bump. */
  notes: string[];
  /**
   * Rules stricter than Wasmtime's own script that the tree breaks: printed by
   * every release step and listed in its PR body, never a reason to stop.
   */
  warnings: string[];
}

/** What planBump needs from the plugin options (the whole options object fits). */
export interface BumpSettings {
  /** The crate list file; undefined = found by findCrateList; false (or none found) = the workspace's publishable members. */
  crateList?: string | false;
  /** Without a crate list: the crates whose API follows semver. */
  publicCrates?: string[];
  /** Folders whose crates the list governs; undefined = the list's find_crates calls. */
  crateRoots?: string[];
  versionFiles?: VersionFileRule[];
}

export interface PlanBumpOptions {
  kind?: BumpKind;
  /** An exact new root version, validated as the next version of `kind`. */
  version?: string;
  options?: BumpSettings;
  /** Already-read inputs (verify and tests reuse them). */
  workspace?: CargoWorkspace;
  crateList?: CrateList;
  scope?: CrateScope;
}

/** Reads a text file, refusing content that would not survive a UTF-8 round trip byte for byte. */
export function readTextExact(absPath: string, rel: string): string {
  const buf = readFileSync(absPath);
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) {
    throw new BumpError([`${rel} is not valid UTF-8: crate-train only rewrites UTF-8 files (cargo requires UTF-8 manifests)`]);
  }
  return text;
}

/** The root version: the root Cargo.toml's first `version = "..."` ([package] or [workspace.package]). */
export function currentVersion(root: string): string {
  return currentVersionOf(readTextExact(join(root, 'Cargo.toml'), 'Cargo.toml'));
}

export function currentVersionOf(rootManifest: string): string {
  const sites = manifestSites(scanToml(rootManifest, 'Cargo.toml'));
  const candidates = [sites.packageVersion, sites.workspaceVersion].filter((s) => s !== undefined).sort((a, b) => a.start - b.start);
  const first = candidates[0];
  if (!first) {
    throw new BumpError([
      'Cargo.toml has neither [package] version = "..." nor [workspace.package] version = "...": the root manifest must carry the release version',
    ]);
  }
  return first.value;
}

export function planBump(root: string, opts: PlanBumpOptions): BumpPlan {
  const ws = opts.workspace ?? readWorkspace(root);
  const { list, listFile } = crateListWithSource(root, opts.options?.crateList, ws.crates, opts.options?.publicCrates, opts.crateList);
  const scope = opts.scope ?? crateScope(ws.crates, list, { crateRoots: opts.options?.crateRoots, listFile, workspaceRoot: root });
  const problems: string[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];

  const rootText = readTextExact(join(root, 'Cargo.toml'), 'Cargo.toml');
  const current = currentVersionOf(rootText);
  const apiStable = new Set(list.apiStableCrates);
  const rootCrate = ws.crates.find((c) => c.root === '.');
  // The root version is the root package's own when it has one (wasm-tools' 1.256.0), else [workspace.package]'s.
  const rootLine = { apiStable: !!rootCrate && rootPackageHasOwnVersion(ws) && apiStable.has(rootCrate.name) };
  let resolved: { kind: BumpKind; version: string };
  try {
    resolved = resolveBump(current, opts.kind, opts.version, 'Cargo.toml: the root version', rootLine);
  } catch (e) {
    if (e instanceof VersionRuleError) throw new BumpError([e.message]);
    throw e;
  }
  const { kind } = resolved;

  // Only what is published moves (publish.rs bumps the crates it governs and may publish).
  const listed = scope.published;

  const tryNext = (version: string, what: string, crate?: string): string | undefined => {
    try {
      return nextVersion(version, kind, what, { apiStable: crate !== undefined && apiStable.has(crate) });
    } catch (e) {
      if (e instanceof VersionRuleError) {
        problems.push(e.message);
        return undefined;
      }
      throw e;
    }
  };

  // [workspace.package] version moves when a published crate inherits it or it is the root version.
  let wsChange: VersionChange | undefined;
  if (ws.workspaceVersion !== undefined) {
    const inheritedByListed = ws.crates.some((c) => c.versionFromWorkspace && listed.has(c.name));
    const isRootVersion = ws.workspaceVersion === current && !rootPackageHasOwnVersion(ws);
    if (inheritedByListed || isRootVersion) {
      const to = tryNext(ws.workspaceVersion, '[workspace.package] version');
      if (to) wsChange = { from: ws.workspaceVersion, to };
    }
  }

  const changed = new Map<string, VersionChange>();
  const crates: CrateBump[] = [];
  for (const c of ws.crates) {
    let to: string | undefined;
    if (c.versionFromWorkspace) to = wsChange?.to;
    else if (listed.has(c.name)) to = tryNext(c.version, `crate ${c.name} (${c.manifestPath}) version`, c.name);
    if (to === undefined || to === c.version) continue;
    changed.set(c.name, { from: c.version, to });
    crates.push({ name: c.name, from: c.version, to, manifestPath: c.manifestPath, listed: listed.has(c.name) });
  }
  if (scope.ungoverned.length) {
    // Their own versions stay; one inherited from [workspace.package] moves with it (the note above names those).
    notes.push(`outside the folders the crate list governs (${scope.roots!.join(', ')}), so never checked or published: ${scope.ungoverned.join(', ')}`);
  }
  const order = new Map(list.cratesToPublish.map((n, i) => [n, i]));
  crates.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const unlistedMoved = crates.filter((c) => !c.listed).map((c) => c.name);
  if (unlistedMoved.length) {
    notes.push(
      `${list.fromWorkspace ? 'publish = false' : 'not in CRATES_TO_PUBLISH'} but inheriting [workspace.package] version, so bumped too: ${unlistedMoved.join(', ')}`,
    );
  }

  // The root version must move with the bump, or tags and version files would lie.
  const rootMoved = rootPackageHasOwnVersion(ws) ? changed.get(rootCrate!.name)?.to : wsChange?.to;
  if (rootMoved === undefined && !problems.length) {
    problems.push(
      rootPackageHasOwnVersion(ws)
        ? `the root version ${current} belongs to ${rootCrate!.name} (Cargo.toml), which is not in CRATES_TO_PUBLISH, so the bump would not change it: add it to the list`
        : `the root version ${current} ([workspace.package] in Cargo.toml) is not inherited by any crate in CRATES_TO_PUBLISH, so the bump would not change it`,
    );
  }

  const files: PlannedFile[] = [];
  const manifests = new Map<string, CrateInfo | undefined>([['Cargo.toml', undefined]]);
  for (const c of [...ws.crates].sort((a, b) => (a.manifestPath < b.manifestPath ? -1 : 1))) manifests.set(c.manifestPath, c);
  for (const [rel, crate] of manifests) {
    const text = rel === 'Cargo.toml' ? rootText : readTextExact(join(root, rel), rel);
    const doc = scanToml(text, rel);
    const sites = manifestSites(doc);
    const own = crate && !crate.versionFromWorkspace ? changed.get(crate.name) : undefined;
    if (own && !sites.packageVersion) problems.push(`${rel}: [package] version of ${crate!.name} not found as a string: write version = "${own.from}"`);
    const { edits, problems: p } = manifestEdits(doc, sites, {
      package: own,
      workspace: rel === 'Cargo.toml' ? wsChange : undefined,
      deps: changed,
    });
    // A requirement inside a crate that is never published (e.g. islec's "*") matters to no release: left as written.
    if (crate && !listed.has(crate.name))
      warnings.push(...p.map((w) => `${w.replace(/, so the bump cannot rewrite it: .*$/, '')}; ${crate.name} is not published, so it is left as written`));
    else problems.push(...p);
    files.push({ path: rel, before: text, after: applyEdits(text, edits) });
  }

  // Crates kept out of the workspace (`[workspace] exclude`, e.g. fuzz targets) may
  // still depend on its crates by path, as Wasmtime's fuzz crate did: follow them
  // where the requirement names the old version, and leave anything else alone.
  for (const rel of excludedManifests(root, rootText)) {
    if (manifests.has(rel)) continue;
    const text = readTextExact(join(root, rel), rel);
    const doc = scanToml(text, rel);
    const { edits } = manifestEdits(doc, manifestSites(doc), { deps: changed });
    files.push({ path: rel, before: text, after: applyEdits(text, edits) });
  }

  const lockRel = 'Cargo.lock';
  if (existsSync(join(root, lockRel))) {
    const text = readTextExact(join(root, lockRel), lockRel);
    const memberChanges = [...changed].map(([name, c]) => ({ name, ...c }));
    const { edits, rewritten } = lockfileEdits(scanToml(text, lockRel), memberChanges);
    const missing = memberChanges.map((c) => c.name).filter((n) => !rewritten.includes(n));
    if (missing.length) {
      notes.push(
        `Cargo.lock has no entry at the current version for ${missing.join(', ')} (was it up to date?): run \`cargo update --workspace --offline\` after the bump`,
      );
    }
    files.push({ path: lockRel, before: text, after: applyEdits(text, edits) });
  } else {
    notes.push('no Cargo.lock: nothing to rewrite there');
  }

  for (const rule of opts.options?.versionFiles ?? []) {
    const abs = join(root, rule.path);
    if (!existsSync(abs)) {
      notes.push(`version file ${rule.path} not found: skipped (set versionFiles in the crate-train plugin options to change the list)`);
      continue;
    }
    const text = readTextExact(abs, rule.path);
    const scan = scanVersionFile(text, rule);
    problems.push(...scan.problems);
    const edits = dedupeEdits(versionFileEdits(scan, resolved.version));
    try {
      files.push({ path: rule.path, before: text, after: applyEdits(text, edits) });
    } catch {
      problems.push(`${rule.path}: two version patterns match overlapping text: make each pattern match its own value`);
    }
  }

  if (problems.length) throw new BumpError(problems);
  return {
    root,
    kind,
    current,
    next: resolved.version,
    crates,
    files: files.filter((f) => f.after !== f.before),
    notes,
    warnings,
  };
}

function excludedManifests(root: string, rootText: string): string[] {
  const leaf = tomlLeaves(scanToml(rootText, 'Cargo.toml')).find((l) => l.path.join('.') === 'workspace.exclude');
  if (!leaf || leaf.value.kind !== 'array') return [];
  return leaf.value.items
    .filter((i): i is TomlString => i.kind === 'string')
    .map((i) => `${i.value.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')}/Cargo.toml`)
    .filter((rel) => !rel.startsWith('../') && existsSync(join(root, rel)));
}

function rootPackageHasOwnVersion(ws: CargoWorkspace): boolean {
  const rootCrate = ws.crates.find((c) => c.root === '.');
  return !!rootCrate && !rootCrate.versionFromWorkspace;
}

function dedupeEdits(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const k = `${e.start}:${e.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The file operations applyPlan uses; tests inject failures through it. */
export interface PlanWriter {
  read(absPath: string): Buffer;
  /** Replaces a file's content. */
  write(absPath: string, content: string): void;
}

/** Writes through a temp file and a rename, so a crash leaves the old or the new file, never half of one. */
export const fsWriter: PlanWriter = {
  read: (p) => readFileSync(p),
  write: (p, content) => {
    const tmp = `${p}.crate-train-tmp`;
    try {
      writeFileSync(tmp, content);
      chmodSync(tmp, statSync(p).mode);
      renameSync(tmp, p);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* not created */
      }
      throw e;
    }
  },
};

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly restored: string[],
    readonly notRestored: string[],
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

/**
 * Writes every file of the plan. Refuses (writing nothing) when a file changed
 * since the plan was made; on a write error, writes back the original text of
 * every file touched so far, then throws.
 */
export function applyPlan(plan: BumpPlan, writer: PlanWriter = fsWriter): void {
  const stale = plan.files.filter((f) => {
    try {
      return !writer.read(join(plan.root, f.path)).equals(Buffer.from(f.before, 'utf8'));
    } catch {
      return true;
    }
  });
  if (stale.length) {
    throw new ApplyError(
      `these files changed since the bump was planned, nothing written: ${stale.map((f) => f.path).join(', ')} — plan the bump again`,
      [],
      [],
    );
  }
  const touched: typeof plan.files = [];
  for (const f of plan.files) {
    touched.push(f);
    try {
      writer.write(join(plan.root, f.path), f.after);
    } catch (e) {
      const restored: string[] = [];
      const notRestored: string[] = [];
      for (const t of touched.reverse()) {
        try {
          writer.write(join(plan.root, t.path), t.before);
          restored.push(t.path);
        } catch {
          notRestored.push(t.path);
        }
      }
      const why = (e as Error).message;
      throw new ApplyError(
        notRestored.length
          ? `writing ${f.path} failed (${why}); could NOT restore ${notRestored.join(', ')} — restore them with git (git checkout -- <file>)`
          : `writing ${f.path} failed (${why}); every file was restored, nothing changed`,
        restored,
        notRestored,
      );
    }
  }
}
