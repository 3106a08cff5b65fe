import { Git } from '@crate-train/git';
import { createGitHub, type AdvisoryCrate } from '@crate-train/github';
import { logger } from '@nx/devkit';
import {
  advisoryDir,
  crateRanges,
  GHSA_PLACEHOLDER,
  renderAdvisoryFiles,
  SECURITY_IGNORE_RULE,
  type AdvisoryPlan,
  type RenderContext,
} from '@crate-train/security';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CrateTrainOptions } from '../../plugin/options';

/**
 * Also ignores security/ in .git/info/exclude: local to this clone, so the
 * folder stays out of `git status` and any `git add -A` even before the
 * .gitignore line is committed (or if it is reverted).
 */
export async function excludeLocally(root: string): Promise<void> {
  const file = await new Git(root).gitPath('info/exclude');
  if (file === undefined) return; // not a git repository: .gitignore is all there is
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((l) => l.trim() === SECURITY_IGNORE_RULE)) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}${SECURITY_IGNORE_RULE}\n`);
}

/** One GitHub "affected product" per crate and release line: vulnerable range + the patch version. */
export function advisoryCrates(plan: AdvisoryPlan): AdvisoryCrate[] {
  const out: AdvisoryCrate[] = [];
  for (const crate of plan.crates) {
    const r = crateRanges(plan, crate);
    const patchedLines = plan.branches.filter((b) => b.crates.some((c) => c.name === crate));
    r.affected.forEach((range, i) => {
      const fixed = patchedLines[i]?.crates.find((c) => c.name === crate)?.nextVersion;
      out.push({ crate, vulnerableVersionRange: range, patchedVersions: fixed ?? '' });
    });
  }
  return out;
}

/** The advisory text GitHub shows: advisory.md from "### Impact" on. */
function description(files: Record<string, string>): string {
  const md = files['advisory.md'];
  const at = md.indexOf('### Impact');
  return at >= 0 ? md.slice(at) : md;
}

/**
 * --github: creates the draft repository security advisory (or reuses the draft
 * with the same summary, or the one named by --ghsa) and its temporary private
 * fork, rewrites security/<id>/ with the real GHSA id and the fork, and prints
 * where to push each branch's fix.
 */
export async function publishToGitHub(root: string, ctx: RenderContext, settings: CrateTrainOptions, repository: string): Promise<void> {
  const gh = await createGitHub({ repository, baseUrl: settings.github.baseUrl ?? process.env.GITHUB_API_URL, logger: { warn: (m) => logger.warn(m) } });
  let plan = ctx.plan;
  let url: string;
  let ghsa: string;
  if (plan.ghsa !== GHSA_PLACEHOLDER) {
    const adv = await gh.getSecurityAdvisory(plan.ghsa);
    ghsa = adv.ghsaId;
    url = adv.url;
    logger.info(`Using the existing advisory ${ghsa} (${adv.state}): ${url}`);
  } else {
    const adv = await gh.createSecurityAdvisory({
      summary: plan.summary,
      description: description(renderAdvisoryFiles(ctx)),
      severity: plan.severity,
      crates: advisoryCrates(plan),
    });
    ghsa = adv.ghsaId;
    url = adv.url;
    logger.info(`${adv.action === 'created' ? 'Created' : 'Found'} the draft advisory ${ghsa}: ${url}`);
  }
  const fork = await gh.createAdvisoryFork(ghsa);
  plan = { ...plan, ghsa, fork: { fullName: fork.fullName, cloneUrl: fork.cloneUrl, htmlUrl: fork.htmlUrl } };
  const dir = join(root, advisoryDir(plan.id));
  for (const [p, text] of Object.entries(renderAdvisoryFiles({ ...ctx, plan }))) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  logger.info(
    [
      `Private fork ${fork.fullName} (${fork.htmlUrl}). Push each branch's fix there and open its PR in the fork:`,
      `  git remote add advisory ${fork.cloneUrl}`,
      ...plan.branches.map((b) => `  ${b.branch} (-> ${b.nextVersion}): git push advisory fix/${b.branch}   then a PR fix/${b.branch} -> ${b.branch}`),
      `Updated ${advisoryDir(plan.id)}/ with ${ghsa}.`,
    ].join('\n'),
  );
}
