import { ReleaseNotesError } from './errors';
import { splitLines, lineText, lineEnding, headingVersion, fileLineEnding, withLineEnding } from './sections';

/**
 * The template with VERSION replaced, like Wasmtime's `sed "s/VERSION/$num/"`:
 * the first occurrence on each line.
 */
export function renderTemplate(template: string, version: string): string {
  if (!template.includes('VERSION')) {
    throw new ReleaseNotesError('The RELEASES.md template has no VERSION placeholder (expected a line like `## VERSION`).');
  }
  return splitLines(template)
    .map((l) => lineText(l).replace('VERSION', version) + lineEnding(l))
    .join('');
}

export type ReleasesStyle = 'history' | 'archive';

/** Archive style when the file has a `<!-- ARCHIVE_START -->` line, else history (the `auto` setting). */
export function detectReleasesStyle(releases: string): ReleasesStyle {
  return /^[ \t]*<!--\s*ARCHIVE_START\s*-->[ \t]*\r?$/m.test(releases) ? 'archive' : 'history';
}

/** The style in force: the setting, or the file's own when the setting is `auto`. */
export function resolveReleasesStyle(setting: ReleasesStyle | 'auto', releases: string): ReleasesStyle {
  return setting === 'auto' ? detectReleasesStyle(releases) : setting;
}

export interface NewSectionOptions {
  style: ReleasesStyle;
  /** Contents of the template file (e.g. ci/RELEASES-template.md). */
  template: string;
  /** The version main now develops (the section to add). */
  newVersion: string;
  /** The version that was just branched (archive style links its notes). */
  currentVersion: string;
  /** OWNER/REPO for the archive link. */
  repository?: string;
  /** Release branch prefix (default `release-`). */
  branchPrefix?: string;
}

/** `48.0.0` -> `48.0.x`: the archive link's label (the version with its last character replaced by x). */
export function archiveLabel(version: string): string {
  return version.slice(0, -1) + 'x';
}

/**
 * The RELEASES.md of main after a branch cut.
 * - history: the rendered template prepended to the whole file.
 * - archive: everything up to and including the first line containing
 *   `-----------` removed (the branched version's notes now live on its
 *   branch), a link to those notes inserted after `<!-- ARCHIVE_START -->`,
 *   then the rendered template prepended.
 * A file that already has the new version's section is returned unchanged, so
 * running the step twice is harmless. Lines added use the file's line ending
 * (CRLF stays CRLF); the other lines keep their bytes.
 */
export function addNewSection(releases: string, o: NewSectionOptions): string {
  if (splitLines(releases).some((l) => headingVersion(l) === o.newVersion)) return releases;
  // The template's lines and the archive link take the file's own line ending
  // (an empty file takes the template's).
  const eol = fileLineEnding(releases, fileLineEnding(o.template));
  const head = withLineEnding(renderTemplate(o.template, o.newVersion), eol);
  if (o.style === 'history') return head + releases;

  const lines = splitLines(releases);
  const rule = lines.findIndex((l) => l.includes('-----------'));
  if (rule < 0) {
    throw new ReleaseNotesError(
      'RELEASES.md (archive style) has no rule line containing `-----------` that ends the current notes; ' +
        'add one after the notes of the current version or use releasesStyle "history".',
    );
  }
  const rest = lines.slice(rule + 1);
  const marker = rest.findIndex((l) => l.includes('ARCHIVE_START'));
  if (marker < 0) {
    throw new ReleaseNotesError(
      'RELEASES.md (archive style) has no `<!-- ARCHIVE_START -->` line to list the notes of older release branches under; add it, or use releasesStyle "history".',
    );
  }
  if (!o.repository) {
    throw new ReleaseNotesError(
      'RELEASES.md archive style needs the GitHub repository (OWNER/REPO) for the link to the release branch notes; set github.repository in the crate-train plugin options.',
    );
  }
  const prefix = o.branchPrefix ?? 'release-';
  const link = `* [${archiveLabel(o.currentVersion)}](https://github.com/${o.repository}/blob/${prefix}${o.currentVersion}/RELEASES.md)${eol}`;
  if (!lineEnding(rest[marker])) rest[marker] += eol;
  rest.splice(marker + 1, 0, link);
  return head + rest.join('');
}
