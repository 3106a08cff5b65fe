import { logger, type Tree } from '@nx/devkit';
import { addReleaseNote, findSection, splitLines } from '@crate-train/release-notes';
import { nextVersion } from '@crate-train/versions';
import { pluginOptionsOf, readRequired, repositoryOf, rootVersion } from './workspace-facts';
import type { ReleaseNoteGeneratorSchema } from './schema';

/** The section a note goes to when --release is not given. */
export function defaultNoteVersion(releases: string, version: string): string {
  const core = version.replace(/[-+].*$/, '');
  const lines = splitLines(releases);
  const sec = findSection(lines, core);
  const released = sec && lines.slice(sec.heading + 1, sec.end).some((l) => l.startsWith('Released'));
  // A release branch after its release: notes are for the coming patch.
  return released && core === version ? nextVersion(version, 'patch') : core;
}

/** `nx g crate-train:release-note --section=Fixed --text="..." [--pr=N] [--release=X.Y.Z]`. */
export default async function releaseNoteGenerator(tree: Tree, options: ReleaseNoteGeneratorSchema): Promise<void> {
  const settings = pluginOptionsOf(tree);
  const file = settings.releasesFile;
  const releases = readRequired(tree, file, 'releasesFile');
  const version = options.release ?? defaultNoteVersion(releases, rootVersion(tree));
  const pr = options.pr === undefined ? undefined : Number(options.pr);
  const repository = pr === undefined ? undefined : repositoryOf(tree, settings);
  const template = tree.read(settings.releasesTemplate, 'utf-8') ?? undefined;
  const text = addReleaseNote(releases, { version, section: options.section, text: options.text, pr, repository, template });
  tree.write(file, text);
  logger.info(`${file}: added to ${version} under ### ${options.section}${pr === undefined ? '' : ` (#${pr})`}`);
}
