import { addReleaseNote, fileLineEnding, findSection, formatEntry, renderTemplate, splitLines, withLineEnding } from '@crate-train/release-notes';

/** Used when the workspace has no RELEASES.md template (Wasmtime's ci/RELEASES-template.md, history style). */
export const DEFAULT_TEMPLATE = `${'-'.repeat(80)}\n\n## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n`;

const TOKEN = 'CRATE_TRAIN_SECURITY_ENTRY_TOKEN';

/** The `### Fixed` entry: the note wrapped at 80 columns, then the advisory link on its own line. */
export function fixedEntryLines(note: string, ghsa: string, url: string): string {
  return [...formatEntry(note, undefined, undefined, 80), `  [${ghsa}](${url})\n`].join('');
}

export interface ReleaseEntry {
  /** True when the branch's RELEASES.md already has the patch version's section. */
  sectionExists: boolean;
  /** The whole `## VERSION` section with the entry under `### Fixed`, ready to paste. */
  section: string;
  entry: string;
}

/**
 * The RELEASES.md section of the patch release with the advisory's entry under
 * `### Fixed`: the branch's own section when it has one, else one made from the template.
 */
export function releaseEntryFor(o: {
  version: string;
  note: string;
  ghsa: string;
  url: string;
  branchReleases: string | null;
  template: string | null;
}): ReleaseEntry {
  const entry = fixedEntryLines(o.note, o.ghsa, o.url);
  const existing = o.branchReleases && findSection(splitLines(o.branchReleases), o.version) ? o.branchReleases : null;
  let base: string;
  if (existing) base = existing;
  else {
    try {
      base = renderTemplate(o.template ?? DEFAULT_TEMPLATE, o.version);
    } catch {
      base = renderTemplate(DEFAULT_TEMPLATE, o.version);
    }
  }
  const withToken = addReleaseNote(base, { version: o.version, section: 'Fixed', text: TOKEN, width: 1000 });
  // The entry takes the file's own line endings (a CRLF RELEASES.md stays CRLF).
  const text = withToken.replace(new RegExp(`\\* ${TOKEN}\\r?\\n`), withLineEnding(entry, fileLineEnding(withToken)));
  if (!existing) {
    // The whole rendered template (with its rule line): prepended to RELEASES.md as is.
    return { sectionExists: false, section: text.replace(/\n+$/, '\n'), entry };
  }
  const lines = splitLines(text);
  const sec = findSection(lines, o.version)!;
  const section = lines.slice(sec.heading, sec.end).join('').replace(/\n+$/, '\n');
  return { sectionExists: true, section, entry };
}
