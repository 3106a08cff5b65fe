// "Did you mean": the known name closest to one the user typed (a flag, an nx.json key).

const squash = (s: string) => s.toLowerCase().replace(/[-_.\s]/g, '');

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name`: the same letters in another spelling
 * (`dryrun`, `dry_run`, `DryRun` -> `dryRun`), else a typo away (`concurency`),
 * else a prefix (`skip` -> `skipPackage`). Undefined when nothing is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const n = squash(name);
  if (!n) return undefined;
  const same = known.find((k) => squash(k) === n);
  if (same) return same;
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(n, squash(k));
    if (!best || d < best.d) best = { name: k, d };
  }
  const limit = n.length <= 3 ? 1 : n.length <= 6 ? 2 : 3;
  if (best && best.d <= limit) return best.name;
  const prefixed = known.filter((k) => n.length >= 3 && squash(k).startsWith(n));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
