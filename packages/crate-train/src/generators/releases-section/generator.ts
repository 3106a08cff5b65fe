import { logger, type Tree } from '@nx/devkit';
import { addNewSection, resolveReleasesStyle } from '@crate-train/release-notes';
import { pluginOptionsOf, readRequired, repositoryOf, rootVersion } from '../release-note/workspace-facts';
import type { ReleasesSectionGeneratorSchema } from './schema';

/** `nx g crate-train:releases-section --release=NEW`: the RELEASES.md scaffold release:cut writes on main. */
export default async function releasesSectionGenerator(tree: Tree, options: ReleasesSectionGeneratorSchema): Promise<void> {
  const settings = pluginOptionsOf(tree);
  const releases = readRequired(tree, settings.releasesFile, 'releasesFile');
  const style = resolveReleasesStyle(options.style ?? settings.releasesStyle, releases);
  const template = readRequired(tree, settings.releasesTemplate, 'releasesTemplate');
  const current = options.current ?? rootVersion(tree).replace(/[-+].*$/, '');
  const text = addNewSection(releases, {
    style,
    template,
    newVersion: options.release,
    currentVersion: current,
    repository: style === 'archive' ? repositoryOf(tree, settings) : undefined,
    branchPrefix: settings.branchPrefix,
  });
  if (text === releases) {
    logger.info(`${settings.releasesFile} already has a ${options.release} section: unchanged`);
    return;
  }
  tree.write(settings.releasesFile, text);
  logger.info(`${settings.releasesFile}: started the ${options.release} section (${style} style)`);
}
