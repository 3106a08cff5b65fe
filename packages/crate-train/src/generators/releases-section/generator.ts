import { logger, type Tree } from '@nx/devkit';
import { addNewSection, resolveReleasesStyle } from '@crate-train/release-notes';
import { pluginOptionsOf, readRequired, repositoryOf, rootVersion } from '../release-note/workspace-facts';
import type { ReleasesSectionGeneratorSchema } from './schema';
import schema from './schema.json';
import { assertGeneratorOptions } from '../../executors/shared/options-check';

/** `nx g crate-train:releases-section --release=NEW`: the RELEASES.md scaffold release:cut writes on main. */
export default async function releasesSectionGenerator(tree: Tree, options: ReleasesSectionGeneratorSchema): Promise<void> {
  assertGeneratorOptions('releases-section', options, schema, { required: ['release'], versions: ['release', 'current'] });
  const settings = pluginOptionsOf(tree);
  const releases = readRequired(tree, settings.releasesFile, 'releasesFile');
  const style = resolveReleasesStyle(options.style ?? settings.releasesStyle, releases);
  const template = readRequired(tree, settings.releasesTemplate, 'releasesTemplate');
  const current = options.current ?? rootVersion(tree).replace(/[-+].*$/, '');
  const repository = style === 'archive' ? await repositoryOf(tree, settings) : undefined;
  // The library keeps the file's own line endings (CRLF stays CRLF).
  const text = addNewSection(releases, {
    style,
    template,
    newVersion: options.release,
    currentVersion: current,
    repository,
    branchPrefix: settings.branchPrefix,
  });
  if (text === releases) {
    logger.info(`${settings.releasesFile} already has a ${options.release} section: unchanged`);
    return;
  }
  tree.write(settings.releasesFile, text);
  logger.info(`${settings.releasesFile}: started the ${options.release} section (${style} style)`);
}
