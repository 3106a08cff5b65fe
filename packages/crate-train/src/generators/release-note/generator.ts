import { logger, type Tree } from '@nx/devkit';
import { addReleaseNote, findSection, splitLines } from '@crate-train/release-notes';
import { nextVersion } from '@crate-train/versions';
import { assertGeneratorOptions } from '../../executors/shared/options-check';
import { pluginOptionsOf, readRequired, repositoryOf, rootVersion } from './workspace-facts';
import type { ReleaseNoteGeneratorSchema } from './schema';
import schema from './schema.json';

/** The section a note goes to when --release is not given. */
export function defaultNoteVersion(releases: string, version: string): string {
  const core = version.replace(/[-+].*$/, '');
  const lines = splitLines(releases);
  const sec = findSection(lines, core);
  const released = sec && lines.slice(sec.heading + 1, sec.end).some((l) => l.startsWith('Released'));
  // A release branch after its release: notes are for the coming patch.
  return released && core === version ? nextVersion(version, 'patch') : core;
}

/**
 * The versions a note may go to on a branch whose root version is `version`:
 * the current one (X.Y.Z of a pre-release) and its next patch.
 */
export function noteVersions(version: string): string[] {
  const core = version.replace(/[-+].*$/, '');
  return [core, nextVersion(core, 'patch')];
}

/** `nx g crate-train:release-note --section=Fixed --text="..." [--pr=N] [--release=X.Y.Z]`. */
export default async function releaseNoteGenerator(tree: Tree, options: ReleaseNoteGeneratorSchema): Promise<void> {
  assertGeneratorOptions('release-note', options, schema, { required: ['section', 'text'], versions: ['release'] });
  const settings = pluginOptionsOf(tree);
  const file = settings.releasesFile;
  const releases = readRequired(tree, file, 'releasesFile');
  const current = rootVersion(tree);
  const fallback = defaultNoteVersion(releases, current);
  const version = options.release ?? fallback;
  const allowed = noteVersions(current);
  if (!allowed.includes(version)) {
    throw new Error(
      `--release=${version} is not the current or next version of this branch (root Cargo.toml: ${current}): ` +
        `use ${allowed.map((v) => `--release=${v}`).join(' or ')}, or leave --release out (here: ${fallback}). Nothing was written.`,
    );
  }
  const pr = options.pr === undefined ? undefined : Number(options.pr);
  const repository = pr === undefined ? undefined : await repositoryOf(tree, settings);
  const template = tree.read(settings.releasesTemplate, 'utf-8') ?? undefined;
  // The library keeps the file's own line endings (CRLF stays CRLF).
  const text = addReleaseNote(releases, { version, section: options.section, text: options.text, pr, repository, template });
  tree.write(file, text);
  logger.info(`${file}: added to ${version} under ### ${options.section}${pr === undefined ? '' : ` (#${pr})`}`);
}
