import { ReleaseNotesError } from './errors';
import { splitLines, lineText, lineEnding, findSection, fileLineEnding } from './sections';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why a string is not a `YYYY-MM-DD` calendar day (each caller words it for its own input). */
export type CalendarDayProblem =
  { kind: 'format' } | { kind: 'month'; year: string; month: string } | { kind: 'day'; year: string; monthName: string; days: number };

/** Undefined when `value` is a real calendar day (proleptic Gregorian), else why not. */
export function calendarDayProblem(value: string): CalendarDayProblem | undefined {
  const m = DATE.exec(value);
  if (!m) return { kind: 'format' };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { kind: 'month', year: m[1]!, month: m[2]! };
  const days = daysIn(year, month);
  if (day < 1 || day > days) return { kind: 'day', year: m[1]!, monthName: MONTHS[month - 1]!, days };
  return undefined;
}

/** A `YYYY-MM-DD` that is a real calendar day (proleptic Gregorian, like `Date`). */
export function checkDate(date: string): void {
  const p = calendarDayProblem(date);
  if (!p) return;
  if (p.kind === 'format') throw new ReleaseNotesError(`Invalid release date "${date}": expected YYYY-MM-DD.`);
  if (p.kind === 'month') throw new ReleaseNotesError(`Invalid release date "${date}": not a calendar day (there is no month ${Number(p.month)}).`);
  throw new ReleaseNotesError(`Invalid release date "${date}": not a calendar day (${p.monthName} ${p.year} has ${p.days} days).`);
}

/** Today in UTC as YYYY-MM-DD (the release date is the day the automation runs). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function missing(version: string, where: string): ReleaseNotesError {
  return new ReleaseNotesError(
    `RELEASES.md has no section "## ${version}" ${where}; add the notes for ${version} first ` +
      `(e.g. \`nx g crate-train:release-note --release=${version} --section=Fixed --text="..."\`).`,
  );
}

export interface DateResult {
  text: string;
  /** False when the section was already dated (a re-run): text is unchanged. */
  changed: boolean;
}

/**
 * Release date on main (ci/update-release-date.rs): the `Unreleased` line of
 * the released version's section (the file's second `Unreleased` line; the
 * first is the version in development) is replaced as a whole by
 * `Released DATE`, no trailing dot.
 */
export function dateOnMain(releases: string, version: string, date: string): DateResult {
  checkDate(date);
  const lines = splitLines(releases);
  const sec = findSection(lines, version);
  if (!sec) throw missing(version, 'on the main branch');
  for (let i = sec.heading + 1; i < sec.end; i++) {
    if (lines[i].startsWith('Unreleased')) {
      lines[i] = `Released ${date}${lineEnding(lines[i]) || fileLineEnding(releases)}`;
      return { text: lines.join(''), changed: true };
    }
  }
  if (lines.slice(sec.heading + 1, sec.end).some((l) => /^Released \d{4}-\d{2}-\d{2}/.test(l))) {
    return { text: releases, changed: false };
  }
  throw new ReleaseNotesError(`RELEASES.md section "## ${version}" has neither an "Unreleased" nor a "Released" line.`);
}

export interface BranchDateOptions {
  /**
   * Refuse when the version has no section (opt-in: `--require-notes`).
   * Default false, like Wasmtime's workflow: its `sed` runs whatever the file holds.
   */
  requireSection?: boolean;
}

/**
 * Release date on a release branch (`sed -i "s/^Unreleased/Released DATE/"`):
 * on every line starting with `Unreleased` that word is replaced and the rest
 * kept (`Unreleased.` -> `Released DATE.`). Like the sed, a file without the
 * version's section (or without any `Unreleased` line) is written as it is
 * found, with a warning; `requireSection` makes a missing section an error.
 */
export function dateOnBranch(releases: string, version: string, date: string, o: BranchDateOptions = {}): DateResult & { warning?: string } {
  checkDate(date);
  const lines = splitLines(releases);
  const sec = findSection(lines, version);
  if (!sec && o.requireSection) throw missing(version, 'on its release branch');
  let changed = false;
  const out = lines.map((l) => {
    if (!l.startsWith('Unreleased')) return l;
    changed = true;
    return `Released ${date}` + lineText(l).slice('Unreleased'.length) + lineEnding(l);
  });
  const result = { text: out.join(''), changed };
  if (!sec) {
    return {
      ...result,
      warning: `RELEASES.md has no ${version} section: add the notes to this PR before merging${changed ? '' : ' (no line starts with "Unreleased", so the file is unchanged)'}`,
    };
  }
  if (!changed && !lines.slice(sec.heading + 1, sec.end).some((l) => l.startsWith('Released '))) {
    return {
      ...result,
      warning: `RELEASES.md section "## ${version}" has neither an "Unreleased" nor a "Released" line, so no release date was written: add it to this PR before merging`,
    };
  }
  return result;
}
