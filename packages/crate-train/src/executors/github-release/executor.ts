import type { ExecutorContext } from '@nx/devkit';
import { Git } from '@crate-train/git';
import { createGitHub, githubRepositoryFor, githubTokenFromEnv, publishGitHubRelease, resolveAssets, type GitHub } from '@crate-train/github';
import { readNotesFile, releaseBody, resolveReleasesStyle } from '@crate-train/release-notes';
import { currentVersion } from '@crate-train/versions';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import { refuseBadOptions } from '../shared/options-check';
import type { GithubReleaseExecutorSchema } from './schema';
import schema from './schema.json';

/**
 * `nx run release:github-release [--tag=vX.Y.Z] [--assets=GLOB…] [--dry-run]`:
 * the GitHub release of a pushed tag, with its RELEASES.md notes and assets
 * (libs/github github-release.ts). Every asset is found before GitHub is touched.
 */
export default async function runExecutor(options: GithubReleaseExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('github-release', options, schema, context)) return { success: false };
  const { out, err } = executorOutput();
  try {
    const root = context.root;
    const settings = pluginOptionsIn(context.nxJsonConfiguration, root);
    const tag = options.tag?.trim() || `v${currentVersion(root)}`;
    if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag)) throw new Error(`--tag=${tag} is not a release tag: write it as vX.Y.Z (e.g. --tag=v5.0.1)`);
    const version = tag.slice(1);
    const patterns = [options.assets ?? []]
      .flat()
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    const assets = await resolveAssets(root, patterns);

    const notes = readNotesFile(root, settings.releasesFile, 'releasesFile');
    const found = releaseBody(notes, version, resolveReleasesStyle(settings.releasesStyle, notes), settings.releasesFile);
    if (!found.body) err(`warning: ${found.source}; the release body says so`);
    out(`notes: ${found.source}`);

    const env = process.env;
    const token = githubTokenFromEnv(env);
    const dryRun = options.dryRun === true;
    let gh: GitHub | undefined;
    if (token || !dryRun) {
      const repository = await githubRepositoryFor({
        configured: settings.github.repository,
        env,
        apiUrl: settings.github.baseUrl,
        remoteUrl: () => new Git(root).remoteUrl(settings.remote).catch(() => undefined),
      });
      if (!repository) {
        throw new Error(
          `github-release needs the GitHub repository (OWNER/REPO): set github.repository in the crate-train plugin options ` +
            `(neither GITHUB_REPOSITORY nor the remote "${settings.remote}" URL names a GitHub repository)`,
        );
      }
      gh = await createGitHub({ repository, token, baseUrl: settings.github.baseUrl ?? env.GITHUB_API_URL, logger: { warn: out } });
    }
    const body = found.body ?? `No release notes for ${version} in ${settings.releasesFile} at ${tag}.`;
    const tags = gh ? await gh.listTags('v') : (await new Git(root).raw(['tag', '--list', 'v*'])).split('\n').filter(Boolean);
    if (dryRun) out('dry run: nothing is changed on GitHub');
    const result = await publishGitHubRelease(gh, { tag, body, assets, tags, dryRun, log: out });
    out(
      `github-release ${tag}: release ${result.release}; assets uploaded ${result.uploaded.length}, replaced ${result.replaced.length}, already there ${result.skipped.length}`,
    );
    return { success: true };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
