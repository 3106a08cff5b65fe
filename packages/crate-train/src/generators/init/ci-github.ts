import type { Tree } from '@nx/devkit';
import type { CrateTrainOptions } from '../../plugin/options';

/**
 * Writes the GitHub Actions workflows for `crate-train:init --ci=github`.
 * Stub: the real workflows land with issue 6.
 */
export function writeGithubWorkflows(_tree: Tree, _options: CrateTrainOptions): string[] {
  return [];
}
