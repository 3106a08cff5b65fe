// RELEASES.md edits keep the file's line endings: a file written with CRLF
// (a Windows checkout, core.autocrlf) stays CRLF, lines added included.

/** True when every line break of `text` is CRLF (and there is at least one). */
export function usesCrlf(text: string): boolean {
  const lf = (text.match(/\n/g) ?? []).length;
  return lf > 0 && (text.match(/\r\n/g) ?? []).length === lf;
}

/**
 * Runs an edit of `releases` (and its template) on LF text when the file is
 * CRLF throughout, and gives the result back with CRLF. Files with LF or
 * mixed endings are edited as they are.
 */
export function withLineEndingsOf<T extends string | undefined>(releases: string, template: T, edit: (releases: string, template: T) => string): string {
  if (!usesCrlf(releases)) return edit(releases, template);
  const lf = (s: string) => s.replace(/\r\n/g, '\n');
  const out = edit(lf(releases), (template === undefined ? template : lf(template)) as T);
  return out.replace(/\r?\n/g, '\r\n');
}
