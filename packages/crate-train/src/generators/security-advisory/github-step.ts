import { run } from '@crate-train/proc';
import { SECURITY_IGNORE_RULE, type RenderContext } from '@crate-train/security';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { CrateTrainOptions } from '../../plugin/options';

/**
 * Also ignores security/ in .git/info/exclude: local to this clone, so the
 * folder stays out of `git status` and any `git add -A` even before the
 * .gitignore line is committed (or if it is reverted).
 */
export async function excludeLocally(root: string): Promise<void> {
  const r = await run('git', ['rev-parse', '--git-path', 'info/exclude'], { cwd: root, reject: false });
  if (r.exitCode !== 0) return; // not a git repository: .gitignore is all there is
  const file = isAbsolute(r.stdout.trim()) ? r.stdout.trim() : join(root, r.stdout.trim());
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((l) => l.trim() === SECURITY_IGNORE_RULE)) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}${SECURITY_IGNORE_RULE}\n`);
}

export async function publishToGitHub(_root: string, _ctx: RenderContext, _settings: CrateTrainOptions, _repository: string): Promise<void> {
  throw new Error('--github: the GitHub client (@crate-train/github) is not available in this build yet.');
}
