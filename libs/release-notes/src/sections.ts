// Locating version sections (`## X.Y.Z`) in a RELEASES.md. Lines are kept with
// their own terminators so that edits elsewhere stay byte for byte.

/** Splits text into lines that keep their trailing `\n` (the last may have none). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

/** The line content without its terminator. */
export function lineText(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** The `\n` or `\r\n` a line ends with ('' for a last line without one). */
export function lineEnding(line: string): string {
  const m = /\r?\n$/.exec(line);
  return m ? m[0] : '';
}

export type LineEnding = '\n' | '\r\n';

/**
 * The file's dominant line ending, which every line an edit inserts uses:
 * `\r\n` when the text has any and at least as many `\r\n` as bare `\n`,
 * else `\n`. `fallback` is for text without any line break (an empty file).
 */
export function fileLineEnding(text: string, fallback: LineEnding = '\n'): LineEnding {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  if (crlf + lf === 0) return fallback;
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

/** `text` with every line terminator (`\n` or `\r\n`) made `eol`; a last line without one stays without. */
export function withLineEnding(text: string, eol: LineEnding): string {
  return text.replace(/\r?\n/g, eol);
}

const HEADING = /^##\s+v?(\S+)\s*$/;

/** The version a `## X.Y.Z` line names, or undefined for any other line. */
export function headingVersion(line: string): string | undefined {
  const m = HEADING.exec(lineText(line));
  return m ? m[1] : undefined;
}

export interface SectionRange {
  /** Index of the `## X.Y.Z` line. */
  heading: number;
  /** Index one past the section's last line: the next `## ` heading, an 80-dash rule, the archive marker, or the end. */
  end: number;
}

export function isRule(line: string): boolean {
  return /^-{11,}\s*$/.test(lineText(line));
}

function endsSection(line: string): boolean {
  const t = lineText(line);
  return headingVersion(line) !== undefined || isRule(line) || t.includes('ARCHIVE_START') || /^#\s/.test(t);
}

/** Finds the section of `version` (first one when repeated), or undefined. */
export function findSection(lines: string[], version: string): SectionRange | undefined {
  const heading = lines.findIndex((l) => headingVersion(l) === version);
  if (heading < 0) return undefined;
  let end = heading + 1;
  while (end < lines.length && !endsSection(lines[end])) end++;
  return { heading, end };
}

/** Every version that has a section, in file order. */
export function listVersions(text: string): string[] {
  return splitLines(text)
    .map(headingVersion)
    .filter((v): v is string => v !== undefined);
}
