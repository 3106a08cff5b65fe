// Real release cases (tools/testing/fixtures/wasmtime-cases, wasm-tools-cases):
// loading them, and comparing a replayed tree with the release commit's files.
// Pure functions over strings and directories; no git, no nx.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { REPO_ROOT } from './paths';

/** The copied Wasmtime cases (attribution in its README.md). */
export const WASMTIME_CASES_DIR: string = join(REPO_ROOT, 'tools', 'testing', 'fixtures', 'wasmtime-cases');
/** The copied wasm-tools cases (attribution in its README.md). */
export const WASM_TOOLS_CASES_DIR: string = join(REPO_ROOT, 'tools', 'testing', 'fixtures', 'wasm-tools-cases');

export type ReleaseCaseKind = 'major-bump' | 'patch-bump' | 'release-date-on-main' | 'release-date-on-branch';

/** A case's case.json, plus where its before/ and after/ trees are. */
export interface ReleaseCase {
  /** The case's folder name. */
  id: string;
  kind: ReleaseCaseKind;
  branch: string;
  /** Absent in the wasm-tools cases. */
  version_before?: string;
  version_after: string;
  release_version?: string | null;
  release_date: string;
  pr?: number;
  dir: string;
  before: string;
  after: string;
}

/** Every case of `dir` that has a case.json and an after/ tree, sorted by id. */
export function loadReleaseCases(dir: string): ReleaseCase[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'case.json')) && existsSync(join(dir, e.name, 'after')))
    .map((e) => {
      const caseDir = join(dir, e.name);
      const json = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as Omit<ReleaseCase, 'dir' | 'before' | 'after'>;
      // The folder name is the id (wasm-tools' case.json says `name`, Wasmtime's `id`).
      return { ...json, id: e.name, dir: caseDir, before: join(caseDir, 'before'), after: join(caseDir, 'after') };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Every file under `dir`, as a sorted list of `/`-separated relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export type FileComparison =
  | { file: string; status: 'equal' }
  /** Equal except for the final newline: equal in substance. */
  | { file: string; status: 'final-newline'; detail: string }
  | { file: string; status: 'missing' }
  | { file: string; status: 'differs'; line: number; expected: string | undefined; actual: string | undefined };

/** Byte comparison of one file; on a difference, the first differing line (1-based). */
export function compareFile(file: string, expected: Buffer | string, actual: Buffer | string | undefined): FileComparison {
  if (actual === undefined) return { file, status: 'missing' };
  const e = Buffer.isBuffer(expected) ? expected : Buffer.from(expected);
  const a = Buffer.isBuffer(actual) ? actual : Buffer.from(actual);
  if (e.equals(a)) return { file, status: 'equal' };
  const et = e.toString('utf8');
  const at = a.toString('utf8');
  const strip = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s);
  if (strip(et) === strip(at)) {
    return {
      file,
      status: 'final-newline',
      detail: et.endsWith('\n') ? 'expected ends with a newline, actual does not' : 'actual ends with a newline, expected does not',
    };
  }
  const el = et.split('\n');
  const al = at.split('\n');
  let i = 0;
  while (i < el.length && i < al.length && el[i] === al[i]) i++;
  return { file, status: 'differs', line: i + 1, expected: el[i], actual: al[i] };
}

/** A workspace member's entry of Cargo.lock: a `[[package]]` without `source`. */
export interface LockMember {
  name: string;
  version: string;
}

/** The `[[package]]` entries of a Cargo.lock that have no `source` (the workspace's own packages). */
export function lockMembers(lock: string): LockMember[] {
  const out: LockMember[] = [];
  for (const block of lock.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0];
    const field = (k: string) => new RegExp(`^${k}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    const name = field('name');
    const version = field('version');
    if (name && version && field('source') === undefined) out.push({ name, version });
  }
  return out;
}

/** Members whose entry in `actual` is absent or at another version than in `expected` (e.g. after/Cargo.lock). */
export function compareLockMembers(expected: string, actual: string): { name: string; expected: string; actual: string | undefined }[] {
  const have = new Map<string, string[]>();
  for (const m of lockMembers(actual)) have.set(m.name, [...(have.get(m.name) ?? []), m.version]);
  return lockMembers(expected)
    .filter((m) => !(have.get(m.name) ?? []).includes(m.version))
    .map((m) => ({ name: m.name, expected: m.version, actual: have.get(m.name)?.join(', ') }));
}

/** The outcome of comparing a replayed tree with a case's after/. */
export interface TreeComparison {
  /** Files compared byte for byte (every file of after/ except Cargo.lock). */
  compared: number;
  /** Real differences (content or missing). */
  differences: FileComparison[];
  /** Differences in the final newline only: reported, counted as equal. */
  finalNewline: FileComparison[];
  /** Cargo.lock members whose version is not the one of after/Cargo.lock. */
  lock: { name: string; expected: string; actual: string | undefined }[];
  /** Files the step changed that after/ does not have (it should not touch them). */
  unexpected: string[];
}

/**
 * Compares every file of `afterDir` with `read(path)` of the replayed tree
 * (undefined: absent), byte for byte; Cargo.lock only by its members' versions.
 * `changed`: the paths the step changed, to report those outside after/.
 */
export function compareWithAfter(afterDir: string, read: (path: string) => Buffer | undefined, changed: string[] = []): TreeComparison {
  const files = listFiles(afterDir);
  const result: TreeComparison = { compared: 0, differences: [], finalNewline: [], lock: [], unexpected: [] };
  for (const f of files) {
    if (f === 'Cargo.lock') {
      const actual = read(f);
      const expected = readFileSync(join(afterDir, f), 'utf8');
      result.lock =
        actual === undefined
          ? lockMembers(expected).map((m) => ({ ...m, expected: m.version, actual: undefined }))
          : compareLockMembers(expected, actual.toString('utf8'));
      continue;
    }
    result.compared++;
    const c = compareFile(f, readFileSync(join(afterDir, f)), read(f));
    if (c.status === 'final-newline') result.finalNewline.push(c);
    else if (c.status !== 'equal') result.differences.push(c);
  }
  const known = new Set(files);
  result.unexpected = [...new Set(changed)].filter((f) => !known.has(f)).sort();
  return result;
}

/** True when the tree matches after/ in substance (final-newline differences allowed). */
export function matchesAfter(c: TreeComparison): boolean {
  return c.differences.length === 0 && c.lock.length === 0 && c.unexpected.length === 0;
}

const clip = (s: string | undefined, n = 160) => (s === undefined ? '(no such line)' : JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s));

/** A readable report: every differing file with its first differing line, then the rest. */
export function formatComparison(c: TreeComparison): string {
  const lines: string[] = [];
  if (c.differences.length) {
    lines.push(`${c.differences.length} of ${c.compared} files differ from after/:`);
    for (const d of c.differences) {
      if (d.status === 'missing') lines.push(`  ${d.file}: missing in the result`);
      else if (d.status === 'differs') lines.push(`  ${d.file}: line ${d.line}\n    expected ${clip(d.expected)}\n    actual   ${clip(d.actual)}`);
    }
  }
  if (c.lock.length) {
    lines.push(`Cargo.lock: ${c.lock.length} workspace members not at after/'s version:`);
    for (const l of c.lock) lines.push(`  ${l.name}: expected ${l.expected}, actual ${l.actual ?? '(no entry)'}`);
  }
  if (c.unexpected.length) lines.push(`changed but not in after/: ${c.unexpected.join(', ')}`);
  if (c.finalNewline.length) {
    lines.push(`final newline only (equal in substance): ${c.finalNewline.map((f) => `${f.file} (${(f as { detail: string }).detail})`).join(', ')}`);
  }
  if (!lines.length) lines.push(`all ${c.compared} files equal byte for byte; Cargo.lock members at after/'s versions`);
  return lines.join('\n');
}
