import { copySample } from './sample';
import { initRepoWithOrigin } from './git';
import { installPlugin } from './install-plugin';

/**
 * The usual start of an end-to-end test: a copy of the sample with the built
 * plugin installed, committed as "Initial commit" on `main` (clean tree) and
 * pushed to a bare origin.
 */
export async function setupSampleRepo(opts: { pluginOptions?: object; branch?: string } = {}): Promise<{ dir: string; origin: string }> {
  const dir = copySample();
  await installPlugin(dir, opts.pluginOptions);
  const { origin } = await initRepoWithOrigin(dir, { branch: opts.branch });
  return { dir, origin };
}
