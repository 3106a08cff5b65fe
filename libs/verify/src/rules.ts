// The crate-list rules of Wasmtime's scripts/publish.rs, and a few it leaves
// to publish day, as errors that name the crate, the file and the fix.

import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CargoWorkspace, CrateInfo } from '@crate-train/cargo';
import { crateScope, type CrateList, type CrateScope } from '@crate-train/crate-list';
import {
  isSemver,
  manifestSites,
  notSemverMessage,
  parseSimpleRequirement,
  readTextExact,
  scanToml,
  tomlLeaves,
  type DepSite,
  type TomlDocument,
  type TomlLeaf,
} from '@crate-train/versions';

export type RuleId =
  | 'not-listed'
  | 'listed-not-in-workspace'
  | 'listed-not-governed'
  | 'listed-but-publish-false'
  | 'discovery-folder-missing'
  | 'internal-not-exact'
  | 'public-exact'
  | 'missing-current-version'
  | 'depends-on-unpublished'
  | 'version-not-semver'
  | 'dependency-cycle'
  | 'list-order'
  // What crates.io (and cargo publish) refuse, for published crates:
  | 'missing-license'
  | 'missing-description'
  | 'wildcard-requirement'
  | 'path-only-requirement'
  // Files a published crate names; checked only with `files: true` (verify, publish), not by bumps.
  | 'missing-readme'
  | 'missing-license-file';

/**
 * error: the release would be wrong (or publish.rs itself asserts it), so
 * release steps stop. warning: stricter than Wasmtime's own script; printed,
 * listed in PR bodies, fatal only under `verify --strict`.
 */
export type RuleSeverity = 'error' | 'warning';

/** Each rule's severity in release steps and `verify` (the README's table). */
export const RULE_SEVERITY: Record<RuleId, RuleSeverity> = {
  'not-listed': 'error',
  'missing-current-version': 'error',
  'internal-not-exact': 'error',
  'public-exact': 'error',
  'depends-on-unpublished': 'error',
  'version-not-semver': 'error',
  'dependency-cycle': 'error',
  'missing-license': 'error',
  'missing-description': 'error',
  'wildcard-requirement': 'error',
  'path-only-requirement': 'error',
  'missing-readme': 'error',
  'missing-license-file': 'error',
  'listed-not-in-workspace': 'warning',
  'listed-not-governed': 'warning',
  'listed-but-publish-false': 'warning',
  'discovery-folder-missing': 'warning',
  'list-order': 'warning',
};

export interface RuleViolation {
  rule: RuleId;
  severity: RuleSeverity;
  /** The crate the fix is about. */
  crate: string;
  /** `file:line: what — fix` */
  message: string;
}

export interface RuleInput {
  workspace: CargoWorkspace;
  list: CrateList;
  /** The crate list's path relative to the root (for messages). */
  listFile: string;
  /** Manifest texts by root-relative path; read from disk when missing. */
  manifests?: Map<string, string>;
  /** Plugin option `crateRoots` (overrides the list's find_crates folders). */
  crateRoots?: string[];
  /** Already-computed scope (else computed here). */
  scope?: CrateScope;
  /**
   * Also check the files published crates name (`readme`, `license-file`) exist.
   * verify and publish do; bumps do not (a release step stops only on the manifests).
   */
  files?: boolean;
}

/** A dependency of a crate, with the place its requirement is written. */
interface ResolvedDep {
  crate: CrateInfo;
  /** The entry in the crate's own manifest. */
  own: DepSite;
  /** Where the requirement lives: the own entry, or the [workspace.dependencies] one for `workspace = true`. */
  site: DepSite;
  doc: TomlDocument;
  name: string;
}

const at = (site: DepSite) => `${site.file}:${site.line}`;

/** The governed crates of a workspace (see crateScope), from the rule input. */
export function scopeOf(input: Pick<RuleInput, 'workspace' | 'list' | 'listFile' | 'crateRoots' | 'scope'>): CrateScope {
  return (
    input.scope ??
    crateScope(input.workspace.crates, input.list, { crateRoots: input.crateRoots, listFile: input.listFile, workspaceRoot: input.workspace.root })
  );
}

/** Runs every rule; violations come in a stable order (rule by rule, list order within). */
export function checkCrateRules(input: RuleInput): RuleViolation[] {
  const { workspace: ws, list, listFile } = input;
  const scope = scopeOf(input);
  const found: Array<Omit<RuleViolation, 'severity'>> = [];
  const out = { push: (v: Omit<RuleViolation, 'severity'>) => found.push(v) };
  const byName = new Map(ws.crates.map((c) => [c.name, c]));
  const position = new Map(list.cratesToPublish.map((n, i) => [n, i]));
  const published = (name: string) => scope.published.has(name);
  const isPublic = new Set(list.publicCrates);
  // Without PUBLIC_CRATES (wasm-tools' ci/publish.rs) there is no exact/caret rule: any requirement carrying the version will do.
  const exactRule = list.publicCrates !== undefined;
  const listText = (() => {
    try {
      return readTextExact(join(ws.root, listFile), listFile);
    } catch {
      return '';
    }
  })();
  const listLine = (name: string) => {
    const i = listText.indexOf(`"${name}"`);
    return i < 0 ? '' : `:${listText.slice(0, i).split('\n').length}`;
  };

  // 1. Every governed crate is listed or publish = false (Wasmtime's read_crate assert).
  for (const c of ws.crates) {
    if (c.publish && !position.has(c.name) && scope.governed.has(c.name)) {
      out.push({
        rule: 'not-listed',
        crate: c.name,
        message:
          `${c.manifestPath}: crate ${c.name} is neither in CRATES_TO_PUBLISH (${listFile}) nor marked publish = false — ` +
          `add "${c.name}" to CRATES_TO_PUBLISH after its dependencies, or add publish = false to [package] in ${c.manifestPath}`,
      });
    }
  }
  // 2. The list names real crates that can be published.
  for (const name of list.cratesToPublish) {
    const c = byName.get(name);
    if (!c) {
      out.push({
        rule: 'listed-not-in-workspace',
        crate: name,
        message: `${listFile}${listLine(name)}: CRATES_TO_PUBLISH lists ${name}, which is not a crate of the workspace, so it is skipped — remove it from the list or fix the name`,
      });
    } else if (!scope.governed.has(name)) {
      out.push({
        rule: 'listed-not-governed',
        crate: name,
        message:
          `${c.manifestPath}: crate ${name} is in CRATES_TO_PUBLISH (${listFile}${listLine(name)}) but outside the folders the list governs (${scope.roots!.join(', ')}, from the ${scope.rootsFrom}), ` +
          `so it keeps its version and is not published — add its folder to the list's find_crates calls (or the crateRoots option) to release it`,
      });
    } else if (!c.publish) {
      out.push({
        rule: 'listed-but-publish-false',
        crate: name,
        message: `${c.manifestPath}: crate ${name} is in CRATES_TO_PUBLISH (${listFile}) but has publish = false, so it is not published — remove it from the list, or remove publish = false`,
      });
    }
  }
  for (const folder of scope.missingRoots) {
    out.push({
      rule: 'discovery-folder-missing',
      crate: '',
      message: `${listFile}: find_crates walks "${folder}", which is not a folder of the workspace — remove the call, or set crateRoots in the crate-train plugin options`,
    });
  }

  // Dependencies of published crates, located in the manifests.
  const docs = new Map<string, TomlDocument>();
  const doc = (rel: string) => {
    let d = docs.get(rel);
    if (!d) {
      d = scanToml(input.manifests?.get(rel) ?? readTextExact(join(ws.root, rel), rel), rel);
      docs.set(rel, d);
    }
    return d;
  };
  const rootDoc = doc('Cargo.toml');
  const wsSites = new Map(
    manifestSites(rootDoc)
      .deps.filter((d) => d.kind === 'workspace')
      .map((d) => [d.key, d]),
  );

  // Versions cargo can read. Cargo refuses the whole workspace over one member's version, so every member is checked.
  const inheritBad: string[] = [];
  for (const c of ws.crates) {
    if (isSemver(c.version)) continue;
    if (c.versionFromWorkspace) {
      inheritBad.push(c.name);
      continue;
    }
    const d = doc(c.manifestPath);
    const site = manifestSites(d).packageVersion;
    out.push({
      rule: 'version-not-semver',
      crate: c.name,
      message: `${c.manifestPath}${site ? `:${d.lineOf(site.start)}` : ''}: ${notSemverMessage(`crate ${c.name}'s version`, c.version, (v) => `version = "${v}"`)}`,
    });
  }
  if (inheritBad.length) {
    const site = manifestSites(rootDoc).workspaceVersion;
    out.push({
      rule: 'version-not-semver',
      crate: inheritBad[0]!,
      message: `Cargo.toml${site ? `:${rootDoc.lineOf(site.start)}` : ''}: ${notSemverMessage(`[workspace.package] version (inherited by ${inheritBad.join(', ')})`, ws.workspaceVersion ?? '', (v) => `version = "${v}"`)}`,
    });
  }

  const deps: ResolvedDep[] = [];
  for (const name of list.cratesToPublish) {
    const c = byName.get(name);
    if (!c || !published(name)) continue;
    const d = doc(c.manifestPath);
    for (const own of manifestSites(d).deps) {
      if (own.kind === 'workspace') continue;
      const inherited = own.workspace ? wsSites.get(own.key) : undefined;
      const site = inherited ?? own;
      if (!byName.has(site.name) || site.name === c.name) continue;
      // Cargo strips dev-dependencies without a version from the published
      // manifest; every other dependency goes to the registry with it.
      if (own.kind === 'dev' && !site.req) continue;
      deps.push({ crate: c, own, site, doc: site === own ? d : rootDoc, name: site.name });
    }
  }

  // 3. Requirements on published crates: the current version, exact for internal crates, not for public ones.
  // A [workspace.dependencies] line is reported once, naming every published crate that uses it.
  const pending = new Map<string, { dep: ResolvedDep; rule: RuleId; what: string; fix: string; users: string[] }>();
  const report = (dep: ResolvedDep, rule: RuleId, what: string, fix: string) => {
    const key = `${rule}|${dep.site.file}|${dep.site.line}|${dep.site.key}`;
    const prev = pending.get(key);
    if (prev) prev.users.push(dep.crate.name);
    else pending.set(key, { dep, rule, what, fix, users: [dep.crate.name] });
  };
  for (const dep of deps) {
    if (!published(dep.name)) continue;
    const target = byName.get(dep.name)!;
    if (!isSemver(target.version)) continue; // no requirement can carry it: version-not-semver says what to write
    const exact = exactRule && !isPublic.has(dep.name);
    const want = exact ? `=${target.version}` : target.version;
    if (!dep.site.req) {
      report(dep, 'missing-current-version', `without a version requirement, so cargo cannot publish it`, `add version = "${want}"`);
      continue;
    }
    const written = dep.doc.text.slice(dep.site.req.start, dep.site.req.end);
    const req = parseSimpleRequirement(dep.doc.text, dep.site.req);
    if (!req || req.version !== target.version) {
      report(dep, 'missing-current-version', `with ${written}, which does not carry ${dep.name}'s current version ${target.version}`, `write "${want}"`);
    } else if (exact && req.op !== '=') {
      report(
        dep,
        'internal-not-exact',
        `with ${written}, but ${dep.name} is not in PUBLIC_CRATES, so the requirement must be exact (internal crates may break their API in any release)`,
        `write "${want}"`,
      );
    } else if (exactRule && !exact && req.op === '=') {
      report(
        dep,
        'public-exact',
        `with ${written}, but ${dep.name} is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver)`,
        `write "${want}"`,
      );
    }
  }
  for (const { dep, rule, what, fix, users } of pending.values()) {
    const who =
      dep.site === dep.own
        ? `${dep.crate.name} depends on ${dep.name}`
        : `[workspace.dependencies] ${dep.site.key} (used by ${users.join(', ')}) requires ${dep.name}`;
    out.push({ rule, crate: dep.crate.name, message: `${at(dep.site)}: ${who} ${what} — ${fix}` });
  }

  // 4. Published crates depend only on published crates.
  for (const dep of deps) {
    const target = byName.get(dep.name)!;
    if (published(dep.name) || target.publish) continue; // an unlisted publishable crate is rule 1's
    out.push({
      rule: 'depends-on-unpublished',
      crate: dep.crate.name,
      message:
        `${at(dep.own)}: published crate ${dep.crate.name} depends on ${dep.name} (${dep.own.table}), which is not published (publish = false in ${target.manifestPath}) — ` +
        (dep.own.kind === 'dev' ? `drop the version so cargo strips the dev-dependency, ` : `remove the dependency, `) +
        `or publish ${dep.name} (add it to CRATES_TO_PUBLISH and remove publish = false)`,
    });
  }

  // 5. What crates.io refuses (cargo's and crates.io's publishing rules), for published crates.
  checkCratesIo({ ws, list, published, byName, doc, rootDoc, wsSites, files: input.files === true, out });

  // 6. Cycles between published crates: no list order can satisfy them, so they are named as cycles.
  const order = (a: string, b: string) => position.get(a)! - position.get(b)!;
  const pubDeps = deps.filter((d) => published(d.name));
  const hard = pubDeps.filter((d) => d.own.kind !== 'dev');
  const inCycle = new Map<string, number>(); // crate -> its strongly connected component (of every edge)
  for (const [k, scc] of components(pubDeps).entries()) for (const n of scc) inCycle.set(n, k);
  const hardCycles = components(hard);
  for (const scc of hardCycles) {
    const cycle = cycleThrough(scc, hard, order);
    out.push({
      rule: 'dependency-cycle',
      crate: cycle[0]!.crate.name,
      message:
        `${at(cycle[0]!.own)}: ${cycleWho(scc, order)}: ${cycleText(cycle)} — cargo refuses a cycle of normal dependencies ("cyclic package dependency") and no order of CRATES_TO_PUBLISH can publish it; ` +
        `remove one of these dependencies (or make it a dev-dependency without a version, which cargo strips on publish)`,
    });
  }
  const softCycles = components(pubDeps).filter((scc) => !hardCycles.some((h) => h.length === scc.length && h.every((n) => scc.includes(n))));
  for (const scc of softCycles) {
    // Published dev-dependencies that keep a version must be on the registry first too: a cycle through one has no order.
    const devEdge = pubDeps.find((d) => d.own.kind === 'dev' && scc.includes(d.crate.name) && scc.includes(d.name))!;
    const back = pathWithin(devEdge.name, devEdge.crate.name, scc, pubDeps, order) ?? [];
    const cycle = [devEdge, ...back];
    out.push({
      rule: 'list-order',
      crate: devEdge.crate.name,
      message:
        `${at(devEdge.own)}: ${cycleWho(scc, order)} (through a dev-dependency with a version): ${cycleText(cycle)} — no order of CRATES_TO_PUBLISH puts every dependency first; ` +
        `drop the version of ${devEdge.crate.name}'s dev-dependency on ${devEdge.name} so cargo strips it on publish (publishing follows the dependency graph, so this does not stop a release)`,
    });
  }

  // 7. CRATES_TO_PUBLISH is in dependency order: the first pair out of order (pairs inside a cycle are the cycle's).
  let worst: { dep: ResolvedDep; i: number; j: number } | undefined;
  for (const dep of deps) {
    const i = position.get(dep.crate.name)!;
    const j = position.get(dep.name);
    if (j === undefined || j <= i) continue;
    if (inCycle.has(dep.name) && inCycle.get(dep.name) === inCycle.get(dep.crate.name)) continue;
    if (!worst || i < worst.i || (i === worst.i && j < worst.j)) worst = { dep, i, j };
  }
  if (worst) {
    const { dep, i, j } = worst;
    out.push({
      rule: 'list-order',
      crate: dep.crate.name,
      message:
        `${listFile}${listLine(dep.crate.name)}: CRATES_TO_PUBLISH is not in dependency order: ${dep.crate.name} (#${i + 1}) comes before its dependency ${dep.name} (#${j + 1}, ${at(dep.own)}) — ` +
        `move "${dep.name}" above "${dep.crate.name}" (publishing follows the dependency graph, so this does not stop a release)`,
    });
  }
  return found.map((v) => ({ ...v, severity: RULE_SEVERITY[v.rule] }));
}

// ---- cycles ---------------------------------------------------------------

/** Strongly connected components with more than one crate (Tarjan), each sorted, in a stable order. */
function components(edges: readonly ResolvedDep[]): string[][] {
  const succ = new Map<string, string[]>();
  for (const e of edges) {
    if (!succ.has(e.crate.name)) succ.set(e.crate.name, []);
    succ.get(e.crate.name)!.push(e.name);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of succ.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...succ.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** The shortest path of edges from `from` to `to` inside `scc` (successors tried in `order`). */
function pathWithin(
  from: string,
  to: string,
  scc: readonly string[],
  edges: readonly ResolvedDep[],
  order: (a: string, b: string) => number,
): ResolvedDep[] | undefined {
  const out = (n: string) => edges.filter((e) => e.crate.name === n && scc.includes(e.name)).sort((a, b) => order(a.name, b.name));
  const via = new Map<string, ResolvedDep>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const n = queue.shift()!;
    if (n === to) {
      const path: ResolvedDep[] = [];
      for (let at = to; at !== from; at = via.get(at)!.crate.name) path.unshift(via.get(at)!);
      return path;
    }
    for (const e of out(n)) {
      if (seen.has(e.name)) continue;
      seen.add(e.name);
      via.set(e.name, e);
      queue.push(e.name);
    }
  }
  return undefined;
}

/** One cycle through the first crate of `scc` (in list order), as its edges. */
function cycleThrough(scc: readonly string[], edges: readonly ResolvedDep[], order: (a: string, b: string) => number): ResolvedDep[] {
  const start = [...scc].sort(order)[0]!;
  const first = edges.filter((e) => e.crate.name === start && scc.includes(e.name)).sort((a, b) => order(a.name, b.name));
  for (const e of first) {
    const back = pathWithin(e.name, start, scc, edges, order);
    if (back) return [e, ...back];
  }
  return first.slice(0, 1);
}

function cycleWho(scc: readonly string[], order: (a: string, b: string) => number): string {
  const names = [...scc].sort(order);
  return names.length === 2
    ? `published crates ${names[0]} and ${names[1]} depend on each other`
    : `published crates ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} form a dependency cycle`;
}

/** `a → b (crates/a/Cargo.toml:7, [dependencies]) → a (crates/b/Cargo.toml:9, [dev-dependencies])` */
function cycleText(cycle: readonly ResolvedDep[]): string {
  return [cycle[0]!.crate.name, ...cycle.map((e) => `${e.name} (${at(e.own)}, ${e.own.table})`)].join(' → ');
}

// ---- crates.io ------------------------------------------------------------

interface CratesIoContext {
  ws: CargoWorkspace;
  list: CrateList;
  published: (name: string) => boolean;
  byName: Map<string, CrateInfo>;
  doc: (rel: string) => TomlDocument;
  rootDoc: TomlDocument;
  wsSites: Map<string, DepSite>;
  files: boolean;
  out: { push: (v: Omit<RuleViolation, 'severity'>) => void };
}

/** A [package] field as the crate sees it: its own value, or the [workspace.package] one it inherits. */
interface PackageField {
  leaf: TomlLeaf;
  /** Written in [workspace.package] of the root manifest (paths there are relative to the workspace root). */
  inherited: boolean;
}

function packageField(own: readonly TomlLeaf[], root: readonly TomlLeaf[], key: string): PackageField | undefined {
  const mine = own.find((l) => (l.path[0] === 'package' || l.path[0] === 'project') && l.path[1] === key && (l.path.length === 2 || l.path[2] === 'workspace'));
  if (!mine) return undefined;
  if (mine.path.length === 2) return { leaf: mine, inherited: false };
  if (mine.value.kind !== 'scalar' || mine.value.raw !== 'true') return undefined;
  const ws = root.find((l) => l.path.length === 3 && l.path[0] === 'workspace' && l.path[1] === 'package' && l.path[2] === key);
  return ws ? { leaf: ws, inherited: true } : undefined;
}

const nonEmptyString = (f: PackageField | undefined): f is PackageField => f?.leaf.value.kind === 'string' && f.leaf.value.value.trim() !== '';

const CRATES_IO = 'crates.io refuses to publish it (see https://doc.rust-lang.org/cargo/reference/publishing.html)';

/** The [package] version of the crate in folder `dir` (workspace-root-relative), when it can be read. */
function versionAt(root: string, dir: string): string | undefined {
  const rel = posix.join(posix.normalize(dir), 'Cargo.toml');
  try {
    return manifestSites(scanToml(readTextExact(join(root, rel), rel), rel)).packageVersion?.value;
  } catch {
    return undefined;
  }
}

function checkCratesIo(cx: CratesIoContext): void {
  const { ws, list, published, byName, doc, rootDoc, wsSites, out } = cx;
  const rootLeaves = tomlLeaves(rootDoc);
  const reqReported = new Map<string, { users: string[]; make: (users: string[]) => Omit<RuleViolation, 'severity'> }>();
  // One violation per requirement line, naming every published crate that uses it.
  const collectRequirement = (key: string, user: string, make: (users: string[]) => Omit<RuleViolation, 'severity'>) => {
    const prev = reqReported.get(key);
    if (prev) prev.users.push(user);
    else reqReported.set(key, { users: [user], make });
  };
  for (const name of list.cratesToPublish) {
    const c = byName.get(name);
    if (!c || !published(name)) continue;
    const d = doc(c.manifestPath);
    const leaves = tomlLeaves(d);
    const header = d.sections.find((s) => s.header.length === 1 && (s.header[0] === 'package' || s.header[0] === 'project') && !s.arrayOfTables);
    const where = `${c.manifestPath}${header ? `:${d.lineOf(header.start)}` : ''}`;
    const field = (key: string) => packageField(leaves, rootLeaves, key);

    const license = field('license');
    const licenseFile = field('license-file');
    if (!nonEmptyString(license) && !nonEmptyString(licenseFile)) {
      out.push({
        rule: 'missing-license',
        crate: name,
        message:
          `${where}: published crate ${name} has ${license ? 'an empty license' : 'no license'} and no license-file in [package], so ${CRATES_IO} — ` +
          `add license = "<SPDX expression>" (e.g. "Apache-2.0 WITH LLVM-exception", or license.workspace = true with license in [workspace.package]), or license-file = "LICENSE"`,
      });
    }
    const description = field('description');
    if (!nonEmptyString(description)) {
      out.push({
        rule: 'missing-description',
        crate: name,
        message: `${where}: published crate ${name} has ${description ? 'an empty description' : 'no description'} in [package], so ${CRATES_IO} — add description = "<one sentence about ${name}>"`,
      });
    }

    // Requirements that go to the registry with the crate: every one but dev-dependencies without a version.
    for (const own of manifestSites(d).deps) {
      if (own.kind === 'workspace') continue;
      const site = (own.workspace ? wsSites.get(own.key) : undefined) ?? own;
      if (byName.has(site.name)) continue; // workspace crates: the requirement rules above
      if (own.kind === 'dev' && !site.req) continue; // stripped by cargo
      const key = `${site.file}:${site.line}:${site.key}`;
      const via = site === own ? '' : ` through [workspace.dependencies] ${site.key} (${at(site)})`;
      if (site.req && site.req.value.trim() === '*') {
        collectRequirement(key, name, (users) => ({
          rule: 'wildcard-requirement',
          crate: users[0]!,
          message:
            `${at(site)}: ${users.length > 1 ? `published crates ${users.join(', ')} depend` : `published crate ${users[0]} depends`} on ${site.name} with "*"` +
            `${site === own ? '' : ` ([workspace.dependencies] ${site.key})`}, and crates.io refuses wildcard requirements — write the oldest ${site.name} version that works, e.g. "1" or "0.4"`,
        }));
      } else if (!site.req && site.path !== undefined) {
        const targetVersion = versionAt(ws.root, posix.join(site === own ? c.root : '.', site.path));
        collectRequirement(key, name, (users) => ({
          rule: 'path-only-requirement',
          crate: users[0]!,
          message:
            `${at(own)}: ${users.length > 1 ? `published crates ${users.join(', ')} depend` : `published crate ${users[0]} depends`} on ${site.name} by path only (path = "${site.path}"${via}, ${own.table}), ` +
            `which is not a crate of the workspace; cargo publishes no path, so ${CRATES_IO} — ` +
            `add ${targetVersion ? `version = "${targetVersion}"` : `the version (version = "...")`} so the registry's ${site.name} is used (it must be published first), ` +
            (own.kind === 'dev' ? 'or drop it' : 'or remove the dependency'),
        }));
      }
    }

    if (cx.files) {
      const crateDir = c.root;
      const exists = (rel: string) => {
        try {
          return statSync(join(ws.root, rel)).isFile();
        } catch {
          return false;
        }
      };
      const fileOf = (f: PackageField, defaultName?: string): { written: string; rel: string } | undefined => {
        const v = f.leaf.value;
        const written = v.kind === 'string' ? v.value : v.kind === 'scalar' && v.raw === 'true' ? defaultName : undefined;
        if (written === undefined) return undefined;
        const base = f.inherited && v.kind === 'string' ? '.' : crateDir;
        return { written, rel: posix.normalize(posix.join(base, written.replace(/\\/g, '/'))) };
      };
      const lineOf = (f: PackageField) => `${f.inherited ? 'Cargo.toml' : c.manifestPath}:${(f.inherited ? rootDoc : d).lineOf(f.leaf.value.start)}`;
      const readme = field('readme');
      const readmeFile = readme && fileOf(readme, 'README.md');
      if (readme && readmeFile && !exists(readmeFile.rel)) {
        out.push({
          rule: 'missing-readme',
          crate: name,
          message:
            `${lineOf(readme)}: published crate ${name} names readme "${readmeFile.written}"${readme.inherited ? ' ([workspace.package])' : ''} (${readmeFile.rel}), which does not exist, so cargo package fails — ` +
            `add the file, fix the path, or remove the readme line (cargo then uses a README.md, README.txt or README it finds)`,
        });
      }
      const lf = licenseFile && fileOf(licenseFile);
      if (licenseFile && lf && !exists(lf.rel)) {
        out.push({
          rule: 'missing-license-file',
          crate: name,
          message: `${lineOf(licenseFile)}: published crate ${name} names license-file "${lf.written}" (${lf.rel}), which does not exist, so cargo package fails — add the file or fix the path`,
        });
      }
    }
  }
  for (const { users, make } of reqReported.values()) out.push(make(users));
}
