/**
 * A `release-X.Y.Z` branch: its name and the release line the name stands for.
 * The one release-branch type; what else is known of a branch (its current
 * version, its release date) lives in types that extend this one.
 */
export interface ReleaseBranch {
  branch: string;
  /** `X.Y.Z` from the name: the line's first version (`release-5.0.0` -> `5.0.0`). */
  lineVersion: string;
  parts: [number, number, number];
}

/** Parses `<prefix>X.Y.Z` (numbers only; anything else is not a release branch). */
export function parseReleaseBranch(name: string, prefix = 'release-'): ReleaseBranch | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(name.slice(prefix.length));
  if (!m) return undefined;
  const parts: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { branch: name, lineVersion: parts.join('.'), parts };
}

/** The release branches among `branchNames`, in numeric X.Y.Z order (other names are left out). */
export function sortedReleaseBranches(branchNames: Iterable<string>, prefix = 'release-'): ReleaseBranch[] {
  const out: ReleaseBranch[] = [];
  for (const name of branchNames) {
    const rb = parseReleaseBranch(name, prefix);
    if (rb) out.push(rb);
  }
  return out.sort((a, b) => compareParts(a.parts, b.parts));
}

/** The highest release branch by numeric X.Y.Z (ci/find-latest-release.rs), or undefined. */
export function latestReleaseBranch(branchNames: Iterable<string>, prefix = 'release-'): ReleaseBranch | undefined {
  return sortedReleaseBranches(branchNames, prefix).pop();
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
