// Files besides Cargo.toml that carry the version, like Wasmtime's C header
// with `#define WASMTIME_VERSION "X.Y.Z"` and its _MAJOR/_MINOR/_PATCH lines.
// Each rule is a regex with one capture group around the value.

import * as semver from 'semver';
import type { TextEdit } from './manifest-edit';
import { notSemverMessage, VersionRuleError } from './version-rules';

export interface VersionFileRule {
  path: string;
  replacements: Array<{ pattern: string; value: 'version' | 'major' | 'minor' | 'patch' }>;
}

export type VersionPart = VersionFileRule['replacements'][number]['value'];

/** Wasmtime's C header, which carries the version in four macros: the default version file. */
export const WASMTIME_VERSION_FILES: VersionFileRule[] = [
  {
    path: 'crates/c-api/include/wasmtime.h',
    replacements: [
      { pattern: '#define WASMTIME_VERSION "([^"]+)"', value: 'version' },
      { pattern: '#define WASMTIME_VERSION_MAJOR (\\d+)', value: 'major' },
      { pattern: '#define WASMTIME_VERSION_MINOR (\\d+)', value: 'minor' },
      { pattern: '#define WASMTIME_VERSION_PATCH (\\d+)', value: 'patch' },
    ],
  },
];

export function versionPart(version: string, part: VersionPart): string {
  const v = semver.parse(version);
  if (!v) throw new VersionRuleError(notSemverMessage('the workspace version', version));
  switch (part) {
    case 'version':
      return v.version;
    case 'major':
      return String(v.major);
    case 'minor':
      return String(v.minor);
    case 'patch':
      return String(v.patch);
  }
}

export interface VersionFileMatch {
  pattern: string;
  part: VersionPart;
  line: number;
  /** The captured text as found. */
  found: string;
  start: number;
  end: number;
}

export interface VersionFileScan {
  matches: VersionFileMatch[];
  /** Patterns that matched nothing, or are not usable regexes (one message each). */
  problems: string[];
}

function compile(pattern: string, file: string): RegExp | string {
  let re: RegExp;
  try {
    // 'd' gives the capture group's offsets.
    re = new RegExp(pattern, 'gmd');
  } catch (e) {
    return `${file}: version pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`;
  }
  const groups = new RegExp(`${pattern}|`).exec('')!.length - 1;
  if (groups !== 1) return `${file}: version pattern ${JSON.stringify(pattern)} must have exactly one capture group around the value (it has ${groups})`;
  return re;
}

/** Finds every capture of every rule pattern in a file's text. */
export function scanVersionFile(text: string, rule: VersionFileRule): VersionFileScan {
  const matches: VersionFileMatch[] = [];
  const problems: string[] = [];
  for (const r of rule.replacements) {
    const re = compile(r.pattern, rule.path);
    if (typeof re === 'string') {
      problems.push(re);
      continue;
    }
    let n = 0;
    for (const m of text.matchAll(re)) {
      const range = m.indices?.[1];
      if (!range) continue;
      n++;
      const line = text.slice(0, range[0]).split('\n').length;
      matches.push({ pattern: r.pattern, part: r.value, line, found: m[1]!, start: range[0], end: range[1] });
    }
    if (n === 0)
      problems.push(`${rule.path}: the version pattern ${JSON.stringify(r.pattern)} matches nothing: fix the file or the versionFiles option in nx.json`);
  }
  return { matches, problems };
}

/** Edits that write `version` into every capture. */
export function versionFileEdits(scan: VersionFileScan, version: string): TextEdit[] {
  return scan.matches.map((m) => ({ start: m.start, end: m.end, text: versionPart(version, m.part) }));
}

/** Captures that do not hold `version` (what verify reports). */
export function versionFileMismatches(scan: VersionFileScan, rule: VersionFileRule, version: string): string[] {
  return scan.matches
    .filter((m) => m.found !== versionPart(version, m.part))
    .map(
      (m) =>
        `${rule.path}:${m.line}: ${m.part} is ${JSON.stringify(m.found)} but the workspace version is ${version} (expected ${JSON.stringify(versionPart(version, m.part))}): ` +
        `run \`nx run release:bump\` or fix the line by hand`,
    );
}
