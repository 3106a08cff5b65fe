import { ReleaseNotesError } from './errors';
import { splitLines, lineText, lineEnding, findSection, fileLineEnding, withLineEnding, type LineEnding } from './sections';
import { renderTemplate } from './template';

export const NOTE_SECTIONS = ['Added', 'Changed', 'Fixed'] as const;
export type NoteSection = (typeof NOTE_SECTIONS)[number];

export interface ReleaseNoteOptions {
  version: string;
  section: NoteSection;
  text: string;
  /** Pull request number: rendered as `[#N](https://github.com/OWNER/REPO/pull/N)` on its own line. */
  pr?: number;
  /** OWNER/REPO, required with `pr`. */
  repository?: string;
  /** Template used to create the version's section when it does not exist yet. */
  template?: string;
  /** Wrap width of the entry (Wasmtime's notes wrap at 80). */
  width?: number;
}

/**
 * `* text` word-wrapped with a two-space continuation indent, plus the PR link
 * line; each line ends with `eol` (the RELEASES.md's own line ending).
 */
export function formatEntry(text: string, pr: number | undefined, repository: string | undefined, width = 80, eol: LineEnding = '\n'): string[] {
  const words = text.trim().split(/\s+/);
  const out: string[] = [];
  let line = '*';
  for (const w of words) {
    const candidate = `${line} ${w}`;
    if (candidate.length > width && line !== '*' && line !== ' ') {
      out.push(line);
      line = `  ${w}`;
    } else {
      line = line === '*' ? `* ${w}` : candidate;
    }
  }
  out.push(line);
  if (pr !== undefined) out.push(`  [#${pr}](https://github.com/${repository}/pull/${pr})`);
  return out.map((l) => l + eol);
}

/**
 * Adds an entry under `### SECTION` of `## VERSION`, after the entries already
 * there. Creates the heading (in Added, Changed, Fixed order) and, with a
 * template, the version's section (prepended like a cut does) when missing.
 */
export function addReleaseNote(releases: string, o: ReleaseNoteOptions): string {
  if (!NOTE_SECTIONS.includes(o.section)) {
    throw new ReleaseNotesError(`Unknown release-note section "${o.section}": use one of ${NOTE_SECTIONS.join(', ')}.`);
  }
  if (!o.text.trim()) throw new ReleaseNotesError('The release note text is empty.');
  if (o.pr !== undefined && (!Number.isInteger(o.pr) || o.pr <= 0)) {
    throw new ReleaseNotesError(`--pr must be a pull request number, got "${o.pr}".`);
  }
  if (o.pr !== undefined && !o.repository) {
    throw new ReleaseNotesError(
      'A release note with --pr needs the GitHub repository (OWNER/REPO) for the link; set github.repository in the crate-train plugin options.',
    );
  }
  // Every line added (entry, heading, blank lines, template) takes the file's
  // own line ending; an empty file takes the template's.
  const eol = fileLineEnding(releases, o.template === undefined ? '\n' : fileLineEnding(o.template));
  let lines = splitLines(releases);
  if (lines.length && !lineEnding(lines[lines.length - 1])) lines[lines.length - 1] += eol;
  let sec = findSection(lines, o.version);
  if (!sec) {
    if (o.template === undefined) {
      throw new ReleaseNotesError(`RELEASES.md has no section "## ${o.version}"; pass a template to create it.`);
    }
    lines = splitLines(withLineEnding(renderTemplate(o.template, o.version), eol) + lines.join(''));
    sec = findSection(lines, o.version)!;
    if (!sec) throw new ReleaseNotesError(`The RELEASES.md template does not produce a "## ${o.version}" heading.`);
  }
  const entry = formatEntry(o.text, o.pr, o.repository, o.width, eol);

  const heading = `### ${o.section}`;
  const isBlank = (l: string) => lineText(l).trim() === '';
  let h = -1;
  for (let i = sec.heading + 1; i < sec.end; i++) {
    if (lineText(lines[i]).trim() === heading) {
      h = i;
      break;
    }
  }

  if (h >= 0) {
    // Rewrite the heading's block: heading, blank, existing entries, blank, new entry, blank.
    let end = h + 1;
    while (end < sec.end && !lineText(lines[end]).startsWith('### ')) end++;
    let from = h + 1;
    let to = end;
    while (from < to && isBlank(lines[from])) from++;
    while (to > from && isBlank(lines[to - 1])) to--;
    const existing = lines.slice(from, to);
    const block = [lines[h], eol, ...existing, ...(existing.length ? [eol] : []), ...entry, eol];
    lines.splice(h, end - h, ...block);
    return lines.join('');
  }

  // No such heading: before the first heading that comes later in Added, Changed, Fixed order, else at the section end.
  const rank = NOTE_SECTIONS.indexOf(o.section);
  let at = sec.end;
  for (let i = sec.heading + 1; i < sec.end; i++) {
    const m = /^###\s+(\w+)/.exec(lineText(lines[i]));
    if (m && NOTE_SECTIONS.indexOf(m[1] as NoteSection) > rank) {
      at = i;
      break;
    }
  }
  const block = [`${heading}${eol}`, eol, ...entry, eol];
  if (at > 0 && !isBlank(lines[at - 1])) block.unshift(eol);
  lines.splice(at, 0, ...block);
  return lines.join('');
}
