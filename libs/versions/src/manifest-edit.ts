// Computes the version-string edits of one manifest for a bump. Each edit
// replaces exactly the version inside a string's quotes, so operators (`=`,
// `^`, `~`), quoting style, comments, spacing and line endings stay as written.

import { parseSimpleRequirement } from './requirement';
import type { ManifestSites } from './manifest-sites';
import { scanToml, type TomlDocument, type TomlString } from './toml-scan';
import { manifestSites } from './manifest-sites';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface VersionChange {
  from: string;
  to: string;
}

export interface ManifestChange {
  /** The manifest's own `[package] version = "..."`. */
  package?: VersionChange;
  /** The root's `[workspace.package] version = "..."`. */
  workspace?: VersionChange;
  /** Every crate whose version changes, by name: requirements on it are rewritten. */
  deps: ReadonlyMap<string, VersionChange>;
}

export interface ManifestEditResult {
  edits: TextEdit[];
  /** Why the bump cannot rewrite this manifest (one line each, naming file, line and fix). */
  problems: string[];
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The edit that rewrites a whole-version string (`version = "5.0.0"`), checking it holds `from`. */
function ownVersionEdit(doc: TomlDocument, node: TomlString, change: VersionChange, what: string, problems: string[]): TextEdit | undefined {
  const raw = doc.text.slice(node.contentStart, node.contentEnd);
  if (raw !== change.from) {
    problems.push(`${doc.file}:${doc.lineOf(node.start)}: ${what} is "${raw}", expected "${change.from}"`);
    return undefined;
  }
  return { start: node.contentStart, end: node.contentEnd, text: change.to };
}

export function manifestEdits(doc: TomlDocument, sites: ManifestSites, change: ManifestChange): ManifestEditResult {
  const edits: TextEdit[] = [];
  const problems: string[] = [];
  if (change.package && sites.packageVersion) {
    const e = ownVersionEdit(doc, sites.packageVersion, change.package, '[package] version', problems);
    if (e) edits.push(e);
  }
  if (change.workspace && sites.workspaceVersion) {
    const e = ownVersionEdit(doc, sites.workspaceVersion, change.workspace, '[workspace.package] version', problems);
    if (e) edits.push(e);
  }
  for (const dep of sites.deps) {
    const c = change.deps.get(dep.name);
    if (!c || !dep.req) continue;
    const req = parseSimpleRequirement(doc.text, dep.req);
    if (req && req.version === c.from) {
      edits.push({ start: req.versionStart, end: req.versionEnd, text: c.to });
      continue;
    }
    // A registry dependency on an older release of a workspace crate's name is
    // legitimate; a path or workspace one must follow the crate.
    if (dep.path === undefined && dep.kind !== 'workspace') continue;
    const written = doc.text.slice(dep.req.start, dep.req.end);
    problems.push(
      `${doc.file}:${dep.line}: the requirement ${written} on ${dep.name} in ${dep.table} does not name its current version ${c.from}, ` +
        `so the bump cannot rewrite it: write "${c.from}" (or "=${c.from}") there`,
    );
  }
  return { edits, problems };
}

/** Scans and bumps one manifest text (convenience for callers and tests). */
export function bumpManifestText(text: string, file: string, change: ManifestChange): { text: string; problems: string[] } {
  const doc = scanToml(text, file);
  const { edits, problems } = manifestEdits(doc, manifestSites(doc), change);
  return { text: applyEdits(text, edits), problems };
}
