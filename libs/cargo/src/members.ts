// Expansion of `[workspace] members` the way cargo does it (cargo uses the
// `glob` crate): each pattern component matches one path component; `*`, `?`,
// `[abc]`/`[!abc]` and `**` (any number of folders). Matches that are files are
// dropped (cargo ignores e.g. a README next to crate folders); folders without a
// Cargo.toml are reported by the caller, as cargo does.
import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

const GLOB_CHARS = /[*?[]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Normalizes a manifest-relative path to a '/'-separated path without `./`. */
export function normalizeRel(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/'));
  return n === '' ? '.' : n.replace(/\/$/, '');
}

/** Translates one glob path component to a RegExp. */
export function componentRegExp(component: string): RegExp {
  let re = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = component.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = component.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function listDirs(abs: string): string[] {
  try {
    return readdirSync(abs, { withFileTypes: true })
      .filter((d) => d.isDirectory() || (d.isSymbolicLink() && isDir(join(abs, d.name))))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function isDir(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

// Folders `**` does not descend into: they never hold members and can be huge.
const SKIP_IN_DOUBLE_STAR = new Set(['.git', 'target', 'node_modules']);

function descendants(root: string, rel: string, out: string[]): void {
  out.push(rel);
  for (const name of listDirs(join(root, rel))) {
    if (SKIP_IN_DOUBLE_STAR.has(name)) continue;
    descendants(root, rel === '.' ? name : `${rel}/${name}`, out);
  }
}

/**
 * Expands one member pattern to folders relative to `root` (sorted). A pattern
 * without glob characters is returned as is (whether or not it exists); a glob
 * that matches no folder returns [].
 */
export function expandMemberPattern(root: string, pattern: string): string[] {
  const norm = normalizeRel(pattern);
  if (!isGlob(norm)) return [norm];
  let current = ['.'];
  for (const comp of norm.split('/')) {
    const next: string[] = [];
    const joinRel = (base: string, name: string) => (base === '.' ? name : `${base}/${name}`);
    if (comp === '**') {
      for (const base of current) descendants(root, base, next);
    } else if (!isGlob(comp)) {
      for (const base of current) {
        const rel = joinRel(base, comp);
        if (comp === '..' || isDir(join(root, rel))) next.push(normalizeRel(rel));
      }
    } else {
      const re = componentRegExp(comp);
      for (const base of current) {
        for (const name of listDirs(join(root, base))) if (re.test(name)) next.push(joinRel(base, name));
      }
    }
    current = [...new Set(next)];
    if (current.length === 0) return [];
  }
  return current.sort();
}

/** Expands all member patterns (deduplicated, in pattern order). */
export function expandMembers(root: string, patterns: string[]): string[] {
  const seen = new Set<string>();
  for (const p of patterns) for (const m of expandMemberPattern(root, p)) seen.add(m);
  return [...seen];
}

/**
 * Cargo's exclusion rule: a folder is excluded when it is under an `exclude`
 * entry, unless it is under a member listed literally (not through a glob).
 */
export function isExcluded(rel: string, exclude: string[], literalMembers: string[]): boolean {
  return exclusionRule(exclude, literalMembers)(rel);
}

/** isExcluded with the patterns normalized once (it runs per member and per path dependency). */
export function exclusionRule(exclude: string[], literalMembers: string[]): (rel: string) => boolean {
  const ex = exclude.map(normalizeRel);
  const lit = literalMembers.map(normalizeRel);
  if (ex.length === 0) return () => false;
  return (rel) => ex.some((e) => under(rel, e)) && !lit.some((m) => under(rel, m));
}

const under = (p: string, base: string) => base === '.' || p === base || p.startsWith(base + '/');
