// Reading the release-notes files an option names (RELEASES.md, its template):
// a missing file, a directory and an unreadable file each get their own message
// naming the file and the option, never a raw ENOENT/EISDIR/EACCES.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReleaseNotesError } from './errors';

/**
 * The text of `rel` (relative to `dir`), the file named by plugin option `option`
 * (`releasesFile`, `releasesTemplate`); `what` says what it is ("the release notes").
 */
export function readNotesFile(dir: string, rel: string, option: string, what = 'the release notes'): string {
  const abs = join(dir, rel);
  const fix = `set \`${option}\` in the crate-train plugin options in nx.json`;
  try {
    if (statSync(abs).isDirectory()) {
      throw new ReleaseNotesError(
        `${rel} is a directory, not a file (${what}, option ${option}) — ${fix} to the Markdown file, or replace the directory with the file`,
      );
    }
    return readFileSync(abs, 'utf8');
  } catch (e) {
    if (e instanceof ReleaseNotesError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ReleaseNotesError(`${rel} not found (${what}, option ${option}) — add the file, or ${fix}`);
    if (code === 'EISDIR')
      throw new ReleaseNotesError(
        `${rel} is a directory, not a file (${what}, option ${option}) — ${fix} to the Markdown file, or replace the directory with the file`,
      );
    const why = code === 'EACCES' || code === 'EPERM' ? `${code}: permission denied` : (code ?? (e as Error).message);
    throw new ReleaseNotesError(`${rel} cannot be read (${why}; ${what}, option ${option}) — make it readable, or ${fix}`);
  }
}
