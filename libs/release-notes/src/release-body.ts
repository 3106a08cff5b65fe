// The body of a GitHub release: the version's notes out of RELEASES.md.
import type { ReleasesStyle } from './template';
import { findSection, headingVersion, lineText, splitLines } from './sections';

export interface ReleaseBody {
  /** The notes, trimmed; undefined when the file has none for the version. */
  body: string | undefined;
  /** Where they came from, or why there are none (for the run's output). */
  source: string;
}

const RULE = /-{15}/;

/**
 * The notes of `version` for its GitHub release.
 * - archive: everything before the first line with `---------------` (Wasmtime's
 *   `sed '/---------------/Q' RELEASES.md`), when that part has the `## version` heading;
 * - history: the `## version` section, without its heading.
 */
export function releaseBody(releases: string, version: string, style: ReleasesStyle, file = 'RELEASES.md'): ReleaseBody {
  const lines = splitLines(releases);
  if (style === 'archive') {
    const rule = lines.findIndex((l) => RULE.test(l));
    const top = rule < 0 ? lines : lines.slice(0, rule);
    if (!top.some((l) => headingVersion(l) === version)) {
      return { body: undefined, source: `${file} has no "## ${version}" above its first \`---------------\` line` };
    }
    return { body: trimLines(top), source: `${file} up to the first \`---------------\` line` };
  }
  const section = findSection(lines, version);
  if (!section) return { body: undefined, source: `${file} has no "## ${version}" section` };
  return { body: trimLines(lines.slice(section.heading + 1, section.end)), source: `the "## ${version}" section of ${file}` };
}

function trimLines(lines: string[]): string {
  return lines
    .map(lineText)
    .join('\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
}
