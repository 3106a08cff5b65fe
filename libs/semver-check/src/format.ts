import type { Finding } from './diff';

/** One block per finding: what changed on which item, before → after, and where. */
export function formatFinding(f: Finding, baseLabel = 'base'): string {
  const lines = [`error[${f.kind}]: ${f.crate}: \`${f.item}\`: ${f.message}`];
  if (f.before !== undefined) lines.push(`    before: ${f.before}`);
  if (f.after !== undefined) lines.push(`    after:  ${f.after}`);
  if (f.location) {
    lines.push(`    --> ${f.location.file}:${f.location.line}${f.location.tree === 'base' ? ` (at ${baseLabel})` : ''}`);
  }
  return lines.join('\n');
}

export function formatFindings(findings: Finding[], baseLabel = 'base'): string {
  return findings.map((f) => formatFinding(f, baseLabel)).join('\n\n');
}
