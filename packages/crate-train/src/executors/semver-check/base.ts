// Where the base revision of a semver check comes from, in order:
// 1. the target's own `base` option (`nx run wasmtime:semver-check --base=v5.0.0`);
// 2. the `--base` of the `nx affected` command running this task. Nx consumes
//    that flag to compute the affected projects and does not pass it on (it
//    only forwards an NX_BASE the user exported), so we read it from the
//    command line of the nx process above us;
// 3. NX_BASE (set by nrwl/nx-set-shas or by hand);
// 4. the highest v* tag reachable from HEAD.
import { rsort, valid } from 'semver';
import { Git } from '@crate-train/git';
import { flagValue, invokingNxArgs, nxArgsOf } from '../shared/nx-argv';

export interface ResolvedBase {
  base: string;
  source: 'option' | 'nx affected --base' | 'NX_BASE' | 'latest v* tag';
}

/**
 * Reads an nx command line: `isNx` when `argv` runs the nx CLI, and `base` the
 * value of `--base` when that command is `nx affected`.
 */
export function readNxArgv(argv: string[]): { isNx: boolean; base?: string } {
  const args = nxArgsOf(argv);
  if (!args) return { isNx: false };
  return { isNx: true, base: args.includes('affected') ? flagValue(args, 'base') : undefined };
}

/** `--base` of the nx command running this task, when it is `nx affected`. */
export async function baseOfInvokingNxAffected(): Promise<string | undefined> {
  const args = await invokingNxArgs();
  return args?.includes('affected') ? flagValue(args, 'base') : undefined;
}

/** The highest `v*` tag (by semver) that HEAD contains. */
export async function latestVersionTag(repoDir: string): Promise<string | undefined> {
  const tags = await new Git(repoDir).tagsMergedInto('HEAD', 'v*').catch(() => undefined);
  if (tags === undefined) return undefined;
  const byVersion = new Map<string, string>();
  for (const tag of tags) {
    const v = valid(tag.slice(1));
    if (v) byVersion.set(v, tag);
  }
  const [top] = rsort([...byVersion.keys()]);
  return top ? byVersion.get(top) : undefined;
}

export async function resolveBase(optionBase: string | undefined, repoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedBase> {
  if (optionBase) return { base: optionBase, source: 'option' };
  const fromAffected = await baseOfInvokingNxAffected();
  if (fromAffected) return { base: fromAffected, source: 'nx affected --base' };
  if (env.NX_BASE) return { base: env.NX_BASE, source: 'NX_BASE' };
  const tag = await latestVersionTag(repoDir);
  if (tag) return { base: tag, source: 'latest v* tag' };
  throw new Error(
    'semver-check: no base revision to compare with, and no v* tag is reachable from HEAD. ' +
      'Pass one: `nx affected -t semver-check --base=v5.0.0`, `nx run <crate>:semver-check --base=v5.0.0`, or set NX_BASE.',
  );
}
