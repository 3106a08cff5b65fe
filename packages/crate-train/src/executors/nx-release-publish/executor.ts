// `nx release publish` runs the `nx-release-publish` target of every project of
// the release group that has one. crate-train gives it to the `release`
// project only, so one `nx release` publishes the whole release once, through
// the same publisher as `nx run release:publish` (dependency order, index
// waits, resume, rate limits), instead of one uncoordinated task per crate.
import type { ExecutorContext } from '@nx/devkit';
import publish from '../publish/executor';
import type { PublishExecutorSchema } from '../publish/schema';
import { refuseBadOptions } from '../shared/options-check';
import type { NxReleasePublishExecutorSchema } from './schema';
import schema from './schema.json';

export default async function runExecutor(options: NxReleasePublishExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('nx-release-publish', options, schema, context)) return { success: false };
  // Nx sets NX_DRY_RUN for every publish task of `nx release publish --dry-run`.
  const dryRun = options.dryRun === true || process.env.NX_DRY_RUN === 'true';
  const forwarded: PublishExecutorSchema = { dryRun };
  if (options.registry !== undefined) forwarded.registry = options.registry;
  if (options.concurrency !== undefined) forwarded.concurrency = options.concurrency;
  return publish(forwarded, context);
}
