import { firstLtsMajorOf, SupportTable } from './policy';

/** The table as aligned text, one line per release line, newest first. */
export function renderSupportTable(table: SupportTable): string {
  const header = ['VERSION', 'BRANCH', 'LTS', 'RELEASED', 'END OF SUPPORT', 'PATCH', 'WHY'];
  const body = table.rows.map((r) => [
    r.version,
    r.branch,
    r.lts ? 'yes' : 'no',
    r.releaseDate ? (r.dateSource === 'tag' ? `${r.releaseDate} (tag)` : r.releaseDate) : '-',
    r.endOfSupport ?? '-',
    r.patched ? 'yes' : 'no',
    r.reason,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const title =
    `Support table for ${table.today} (LTS every ${table.policy.ltsEvery} majors from ${firstLtsMajorOf(table.policy)} on, ` +
    `for ${table.policy.ltsMonths} months, ` +
    `others ${table.policy.regularMonths} months; --affected=${table.affected})`;
  const rows = body.length ? all.map(line) : [...[header].map(line), '(no release branches)'];
  return [title, ...rows].join('\n');
}

/** The same table as JSON (stable key order, for `--json`). */
export function supportTableJson(table: SupportTable): string {
  return JSON.stringify(table, null, 2);
}
