/** A `release-X.Y.Z` branch with its parsed version. */
export interface ReleaseBranch {
  branch: string;
  version: string;
  parts: [number, number, number];
}

/** Parses `<prefix>X.Y.Z` (numbers only; anything else is not a release branch). */
export function parseReleaseBranch(name: string, prefix = 'release-'): ReleaseBranch | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(name.slice(prefix.length));
  if (!m) return undefined;
  const parts: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { branch: name, version: parts.join('.'), parts };
}

/** The highest release branch by numeric X.Y.Z (ci/find-latest-release.rs), or undefined. */
export function latestReleaseBranch(branchNames: Iterable<string>, prefix = 'release-'): ReleaseBranch | undefined {
  let best: ReleaseBranch | undefined;
  for (const name of branchNames) {
    const rb = parseReleaseBranch(name, prefix);
    if (!rb) continue;
    if (!best || compareParts(rb.parts, best.parts) > 0) best = rb;
  }
  return best;
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
