// The crate-list rules of Wasmtime's scripts/publish.rs, and a few it leaves
// to publish day, as errors that name the crate, the file and the fix.

import { join } from 'node:path';
import type { CargoWorkspace, CrateInfo } from '@crate-train/cargo';
import { crateScope, type CrateList, type CrateScope } from '@crate-train/crate-list';
import { manifestSites, parseSimpleRequirement, readTextExact, scanToml, type DepSite, type TomlDocument } from '@crate-train/versions';

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
  | 'list-order';

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
  return input.scope ?? crateScope(input.workspace.crates, input.list, { crateRoots: input.crateRoots, listFile: input.listFile, workspaceRoot: input.workspace.root });
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
  const wsSites = new Map(manifestSites(rootDoc).deps.filter((d) => d.kind === 'workspace').map((d) => [d.key, d]));
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
    const exact = !isPublic.has(dep.name);
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
      report(dep, 'internal-not-exact', `with ${written}, but ${dep.name} is not in PUBLIC_CRATES, so the requirement must be exact (internal crates may break their API in any release)`, `write "${want}"`);
    } else if (!exact && req.op === '=') {
      report(dep, 'public-exact', `with ${written}, but ${dep.name} is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver)`, `write "${want}"`);
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

  // 5. CRATES_TO_PUBLISH is in dependency order: the first pair out of order.
  let worst: { dep: ResolvedDep; i: number; j: number } | undefined;
  for (const dep of deps) {
    const i = position.get(dep.crate.name)!;
    const j = position.get(dep.name);
    if (j === undefined || j <= i) continue;
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
