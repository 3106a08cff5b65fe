import * as semver from 'semver';

/**
 * - `major`: Wasmtime's `bump` (X.Y.Z -> (X+1).0.0, 0.Y.Z -> 0.(Y+1).0, 0.0.Z -> 0.0.(Z+1)).
 * - `patch`: Wasmtime's `bump-patch` (X.Y.Z -> X.Y.(Z+1)).
 * - `dev`: the 2026 model's main: the next major with `-dev` (5.0.0 -> 6.0.0-dev, 6.0.0-dev -> 7.0.0-dev).
 * - `rc`: `-dev` -> `-rc.1`, `-rc.N` -> `-rc.(N+1)`.
 * - `release`: drop the pre-release (6.0.0-rc.2 -> 6.0.0).
 */
export type BumpKind = 'major' | 'patch' | 'dev' | 'rc' | 'release';
export const BUMP_KINDS: readonly BumpKind[] = ['major', 'patch', 'dev', 'rc', 'release'];

export class VersionRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionRuleError';
  }
}

export function isBumpKind(s: string): s is BumpKind {
  return (BUMP_KINDS as readonly string[]).includes(s);
}

/** Whether cargo accepts `version` as a package version (strict semver, no `v`, no spaces). */
export function isSemver(version: string): boolean {
  return semver.parse(version) !== null && /^\d/.test(version) && !/\s/.test(version);
}

/**
 * The semantic version someone who wrote `version` most likely meant (`0.3` -> `0.3.0`,
 * `v5.0.0` -> `5.0.0`), or undefined when there is no such guess (`five`).
 */
export function semverGuess(version: string): string | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(version);
  if (m) return `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
  return semver.valid(semver.clean(version) ?? '') ?? undefined;
}

/**
 * `"0.3" is not a semantic version …` with the fix: `write <how>` where `how`
 * turns the suggested version into what to write (a manifest line, a flag).
 */
export function notSemverMessage(what: string, version: string, how: (v: string) => string = (v) => `"${v}"`): string {
  const guess = semverGuess(version);
  const fix = guess ? `write ${how(guess)}` : `write a version of the form MAJOR.MINOR.PATCH, e.g. ${how('1.0.0')}`;
  return `${what} "${version}" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — ${fix}`;
}

function parse(version: string, what: string): semver.SemVer {
  const v = semver.parse(version);
  if (!v)
    throw new VersionRuleError(
      notSemverMessage(what, version, what.startsWith('--version') ? (g) => `--version=${g}` : /\bversion$/.test(what) ? (g) => `version = "${g}"` : undefined),
    );
  return v;
}

/** Wasmtime's major rule, on the X.Y.Z part only. */
function majorCore(v: semver.SemVer): string {
  if (v.major !== 0) return `${v.major + 1}.0.0`;
  if (v.minor !== 0) return `0.${v.minor + 1}.0`;
  return `0.0.${v.patch + 1}`;
}

/** How one crate's version moves beyond the bump kind. */
export interface VersionLine {
  /**
   * wasm-tools' API_STABLE_CRATES: a major bump is a minor step (1.256.0 -> 1.257.0),
   * as `ci/publish.rs` bumps them.
   */
  apiStable?: boolean;
}

/** The version after `current` for a bump of `kind`; `what` names the crate in errors. */
export function nextVersion(current: string, kind: BumpKind, what = 'version', line: VersionLine = {}): string {
  const v = parse(current, what);
  if (line.apiStable && kind === 'major' && !v.prerelease.length) return `${v.major}.${v.minor + 1}.0`;
  const pre = v.prerelease;
  const core = `${v.major}.${v.minor}.${v.patch}`;
  switch (kind) {
    case 'major':
      if (pre.length)
        throw new VersionRuleError(
          `${what} ${current} is a pre-release: a major bump needs X.Y.Z; use --kind=release (drop the pre-release) or --kind=dev (next -dev version)`,
        );
      return majorCore(v);
    case 'patch':
      if (pre.length) throw new VersionRuleError(`${what} ${current} is a pre-release: a patch bump needs X.Y.Z; release it first with --kind=release`);
      return `${v.major}.${v.minor}.${v.patch + 1}`;
    case 'dev':
      return `${majorCore(v)}-dev`;
    case 'rc': {
      if (pre.length === 1 && pre[0] === 'dev') return `${core}-rc.1`;
      if (pre.length === 2 && pre[0] === 'rc' && typeof pre[1] === 'number') return `${core}-rc.${pre[1] + 1}`;
      throw new VersionRuleError(`${what} ${current} is neither a -dev nor an -rc.N version: --kind=rc needs X.Y.Z-dev or X.Y.Z-rc.N`);
    }
    case 'release':
      if (!pre.length)
        throw new VersionRuleError(`${what} ${current} is already a release (no pre-release to drop): --kind=release needs X.Y.Z-dev or X.Y.Z-rc.N`);
      return core;
  }
}

/**
 * The kind and the new root version for a bump of `current`, from `--kind`
 * and/or `--version`. An explicit version must be the next version of the
 * kind (or, without a kind, of some kind).
 */
export function resolveBump(
  current: string,
  kind: BumpKind | undefined,
  version: string | undefined,
  /** How errors name `current` (planBump: the root version and its file). */
  currentWhat = 'the current version',
  /** The version line of the crate that owns `current`. */
  line: VersionLine = {},
): { kind: BumpKind; version: string } {
  if (kind !== undefined && !isBumpKind(kind)) {
    throw new VersionRuleError(`unknown --kind ${JSON.stringify(kind)}: use one of ${BUMP_KINDS.join(', ')}`);
  }
  parse(current, currentWhat);
  if (version === undefined) {
    if (kind === undefined) throw new VersionRuleError(`pass --kind (${BUMP_KINDS.join(', ')}) or --version`);
    return { kind, version: nextVersion(current, kind, currentWhat, line) };
  }
  const wanted = parse(version, '--version').version;
  if (wanted !== version) throw new VersionRuleError(`--version "${version}" is not a plain semantic version: write ${wanted}`);
  if (kind !== undefined) {
    const expected = nextVersion(current, kind, currentWhat, line);
    if (expected !== version) {
      throw new VersionRuleError(`--version ${version} is not the next ${kind} version: current is ${current}, expected ${expected}`);
    }
    return { kind, version };
  }
  const candidates: string[] = [];
  for (const k of BUMP_KINDS) {
    let next: string;
    try {
      next = nextVersion(current, k, currentWhat, line);
    } catch {
      continue;
    }
    if (next === version) return { kind: k, version };
    candidates.push(`${next} (${k})`);
  }
  throw new VersionRuleError(`--version ${version} is not the next version of any kind: current is ${current}, expected one of ${candidates.join(', ')}`);
}
