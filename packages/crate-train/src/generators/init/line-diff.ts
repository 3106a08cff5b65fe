// A short unified diff between two texts, to show a user what differs between
// their file and the one a generator would write. Line-based (LCS), with a few
// lines of context, cut after `maxLines` lines of output.

function lcsTable(a: string[], b: string[]): Uint32Array[] {
  const t = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  return t;
}

type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number };

function ops(a: string[], b: string[]): Op[] {
  const t = lcsTable(a, b);
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push({ kind: ' ', line: a[i]!, ai: i++, bi: j++ });
    else if (i < a.length && (j === b.length || t[i + 1]![j]! >= t[i]![j + 1]!)) out.push({ kind: '-', line: a[i]!, ai: i++, bi: j });
    else out.push({ kind: '+', line: b[j]!, ai: i, bi: j++ });
  }
  return out;
}

const splitText = (text: string) => {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/**
 * `--- fromLabel` / `+++ toLabel` and `@@` hunks with `context` lines around
 * each change; at most `maxLines` hunk lines, then a line saying how many more.
 * Empty when the texts are equal.
 */
export function shortDiff(from: string, to: string, labels: { from: string; to: string }, o: { context?: number; maxLines?: number } = {}): string {
  if (from === to) return '';
  const context = o.context ?? 2;
  const maxLines = o.maxLines ?? 30;
  const all = ops(splitText(from), splitText(to));
  const changed = all.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) {
    // Only the final newline or line endings differ.
    return `--- ${labels.from}\n+++ ${labels.to}\n(the files differ only in line endings or the final newline)\n`;
  }
  // Group changes into hunks whose context overlaps.
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(all.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const lines: string[] = [];
  for (const [lo, hi] of hunks) {
    const part = all.slice(lo, hi + 1);
    const aCount = part.filter((p) => p.kind !== '+').length;
    const bCount = part.filter((p) => p.kind !== '-').length;
    lines.push(`@@ -${part[0]!.ai + 1},${aCount} +${part[0]!.bi + 1},${bCount} @@`);
    for (const p of part) lines.push(`${p.kind}${p.line}`);
  }
  const shown = lines.slice(0, maxLines);
  const more = lines.length - shown.length;
  return [`--- ${labels.from}`, `+++ ${labels.to}`, ...shown, ...(more > 0 ? [`... (${more} more diff lines)`] : [])].join('\n') + '\n';
}
