import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { registryPreflight } from '@crate-train/registry';
import { formatVerifyReport, verifyWorkspace } from '@crate-train/verify';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import type { VerifyExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

/**
 * `nx run release:verify [--build] [--skip-package] [--registryChecks]`: is the tree
 * publishable? Non-zero exit listing every error.
 */
export default async function runExecutor(options: VerifyExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  if (refuseBadOptions('verify', options, schema, context)) return { success: false };
  const { out, err } = executorOutput();
  try {
    const o = pluginOptionsIn(context.nxJsonConfiguration, context.root);
    const report = await verifyWorkspace(context.root, {
      crateList: o.crateList,
      crateRoots: o.crateRoots,
      strict: options.strict === true,
      versionFiles: o.versionFiles,
      build: options.build === true,
      // Builds reuse the workspace's target dir across runs, as Wasmtime's verify does (./target).
      ...(options.build === true ? { targetDir: join(context.root, 'target', 'crate-train-verify') } : {}),
      package: options.skipPackage !== true,
      maxCrateBytes: options.maxCrateBytes,
      log: out,
    });
    out(`\n${formatVerifyReport(report, o.projectName)}`.replace(/\n$/, ''));
    if (!options.registryChecks) return { success: report.ok };
    // What publish checks with the registry before its first upload.
    const checks = await registryPreflight({
      workspaceRoot: context.root,
      registry: o.registry,
      crateList: o.crateList,
      crateRoots: o.crateRoots,
      ownerTeam: o.ownerTeam,
    });
    out(
      `\nregistry \`${checks.registryName}\`${checks.trustedPublishing ? ' (trusted publishing)' : ''}: ${checks.toUpload.length} version${checks.toUpload.length === 1 ? '' : 's'} to upload`,
    );
    out(checks.ratePlan);
    for (const w of checks.warnings) out(`warning: ${w}`);
    for (const p of checks.problems) err(`error: ${p.crate} ${p.version}: ${p.cause} — ${p.fix}`);
    return { success: report.ok && checks.problems.length === 0 };
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return { success: false };
  }
}
