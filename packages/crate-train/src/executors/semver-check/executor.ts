import { dirname, join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { crateListFor } from '../../crate-list';
import { run } from '@crate-train/proc';
import { checkSemver, formatFindings, type SemverCheckResult } from '@crate-train/semver-check';
import { pluginOptionsIn } from '../../plugin/options';
import { executorOutput } from '../shared/output';
import { resolveBase } from './base';
import type { SemverCheckExecutorSchema } from './schema';
import schema from './schema.json';
import { refuseBadOptions } from '../shared/options-check';

export const INTERNAL_SKIP = 'skipped: internal crate (exact = pins allow breaking changes)';

/** The Cargo workspace holding the crate: found by cargo from the crate's folder. */
async function cargoWorkspaceRoot(context: ExecutorContext, crate: string): Promise<string> {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  const from = project?.root !== undefined ? join(context.root, project.root) : context.root;
  const r = await run('cargo', ['locate-project', '--workspace', '--message-format', 'plain'], { cwd: from, reject: false });
  if (r.exitCode !== 0) throw new Error(`semver-check ${crate}: no Cargo workspace found from ${from}: ${r.stderr.trim()}`);
  return dirname(r.stdout.trim());
}

function printJson(result: SemverCheckResult | { crate: string; status: 'skipped'; reason: string }, out: (s: string) => void) {
  out(JSON.stringify(result, null, 2));
}

export default async function runExecutor(options: SemverCheckExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const crate = options.crate;
  const json = !!options.json;
  const { out, err } = executorOutput();
  if (refuseBadOptions('semver-check', options, schema, context)) return { success: false };
  try {
    if (!crate) throw new Error('semver-check: the `crate` option is required (the crate-train plugin sets it on each public crate)');
    const pluginOptions = pluginOptionsIn(context.nxJsonConfiguration, context.root);
    const { publicCrates } = crateListFor(context.root, pluginOptions).list;
    if (!(publicCrates ?? []).includes(crate)) {
      const reason = pluginOptions.crateList
        ? `${crate} is not in PUBLIC_CRATES of ${pluginOptions.crateList}`
        : `${crate} is not in the publicCrates plugin option`;
      if (json) printJson({ crate, status: 'skipped', reason: `${INTERNAL_SKIP}: ${reason}` }, out);
      else out(`semver-check ${crate}: ${INTERNAL_SKIP}; ${reason}`);
      return { success: true };
    }

    const { base, source } = await resolveBase(options.base, context.root);
    const workspaceRoot = await cargoWorkspaceRoot(context, crate);
    const result = await checkSemver({
      workspaceRoot,
      crate,
      base,
      offline: !!options.offline,
      log: json ? undefined : out,
    });
    if (json) {
      printJson(result, out);
      return { success: result.status !== 'breaking' };
    }
    const against = `${base} (${result.baseSha.slice(0, 10)}, from ${source})`;
    for (const n of result.notes) err(`semver-check ${crate}: note: ${n}`);
    if (result.status === 'skipped') {
      out(`semver-check ${crate}: skipped: ${result.reason}`);
      return { success: true };
    }
    if (result.status === 'ok') {
      out(`semver-check ${crate}: no breaking change to the public API since ${against} (${result.tool})`);
      return { success: true };
    }
    const n = result.findings.length;
    err(
      `semver-check ${crate}: ${n} breaking change${n === 1 ? '' : 's'} to the public API since ${against}.\n` +
        `${crate} is in PUBLIC_CRATES: its API must not break within a release line.\n\n` +
        formatFindings(result.findings, base) +
        '\n\nMake the change compatible (keep the old item, add a new one beside it), or land it on main for the next major release.',
    );
    return { success: false };
  } catch (e) {
    err((e as Error).message);
    return { success: false };
  }
}
