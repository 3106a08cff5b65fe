import { logger, type Tree } from '@nx/devkit';
import { Git } from '@crate-train/git';
import { crateListFor } from '../../crate-list';
import {
  advisoryDir,
  AdvisoryPlan,
  buildAdvisoryPlan,
  githubRepository,
  PLAN_FILE,
  readCratesAtRef,
  readReleaseBranches,
  renderAdvisoryFiles,
  RenderContext,
  withSecurityIgnored,
  type CrateVersionAtRef,
} from '@crate-train/security';
import { branchesToPatch, evaluateSupport, parseAffected, parseIsoDate, renderSupportTable, supportTableJson, utcToday } from '@crate-train/support-policy';
import { pluginOptionsOf } from '../release-note/workspace-facts';
import { excludeLocally, publishToGitHub } from './github-step';
import type { SecurityAdvisoryGeneratorSchema } from './schema';
import schema from './schema.json';
import { assertGeneratorOptions } from '../../executors/shared/options-check';

/**
 * Scaffolds security/<id>/ for an advisory. Reads the remote's release branches
 * (git, no checkout), applies the support policy, writes the files through the
 * Tree (so --dry-run shows them), and keeps security/ ignored by git. GitHub side
 * effects (--github) run after the files are written, never in a dry run.
 */
export default async function securityAdvisoryGenerator(tree: Tree, options: SecurityAdvisoryGeneratorSchema) {
  assertGeneratorOptions('security-advisory', options, schema, { required: ['summary', 'severity'] });
  const root = tree.root;
  const settings = pluginOptionsOf(tree);
  const today = options.today ? parseIsoDate(options.today, '--today') : utcToday();
  const affected = parseAffected(options.affected);

  const branches = await readReleaseBranches(root, {
    remote: settings.remote,
    branchPrefix: settings.branchPrefix,
    releasesFile: settings.releasesFile,
    fetch: options.fetch !== false,
  });
  const table = evaluateSupport(branches, { today, policy: settings.supportPolicy, affected });
  if (options.json) console.log(supportTableJson(table));
  else logger.info(renderSupportTable(table));

  const toPatch = branchesToPatch(table);
  const cratesByBranch: Record<string, CrateVersionAtRef[]> = {};
  const releasesByBranch: Record<string, string | null> = {};
  for (const row of toPatch) {
    const ref = `${settings.remote}/${row.branch}`;
    cratesByBranch[row.branch] = (await readCratesAtRef(root, ref)).crates;
    releasesByBranch[row.branch] = (await new Git(root).show(ref, settings.releasesFile)) ?? null;
  }
  // The advisory covers the public crates (PUBLIC_CRATES) unless --crates says otherwise
  // (--crates=all: every published crate). Without a crate list, --crates is required.
  let published: string[] = [];
  let publicCrates: string[] = [];
  try {
    const { list } = crateListFor(root, settings);
    published = list.cratesToPublish;
    publicCrates = list.publicCrates ?? [];
  } catch (e) {
    if (!options.crates || options.crates === 'all') throw e;
  }
  const crates = options.crates && options.crates !== 'all' ? options.crates.split(',') : undefined;
  const defaultCrates = options.crates === 'all' || publicCrates.length === 0 ? published : publicCrates;
  const repository = await githubRepository(root, settings.remote, settings.github.repository);
  if (options.github && !repository) {
    throw new Error(
      `--github needs the GitHub repository: set github.repository ("owner/name") in the crate-train plugin options in nx.json ` +
        `(the URL of remote "${settings.remote}" is not a github.com URL).`,
    );
  }

  const plan: AdvisoryPlan = buildAdvisoryPlan({
    id: options.id,
    summary: options.summary,
    severity: options.severity,
    ghsa: options.ghsa,
    today,
    releaseDay: options.releaseDay,
    repository: repository ?? undefined,
    projectName: settings.projectName,
    table,
    crates,
    publishedCrates: published,
    defaultCrates,
    cratesByBranch,
    releaseNote: options.releaseNote,
  });
  if (!repository) logger.warn(`The GitHub repository is unknown (set github.repository in the plugin options): links use OWNER/REPO.`);

  const dir = advisoryDir(plan.id);
  if (tree.exists(`${dir}/${PLAN_FILE}`) && !options.overwrite) {
    throw new Error(`${dir}/ already exists. Edit it by hand, pick another --id, or pass --overwrite to regenerate it (hand edits there are lost).`);
  }
  const ctx: RenderContext = {
    plan,
    releasesByBranch,
    template: tree.read(settings.releasesTemplate, 'utf-8'),
    settings: {
      releaseProject: settings.releaseProject,
      remote: settings.remote,
      releasesFile: settings.releasesFile,
      workBranchPrefix: settings.workBranchPrefix,
      testTarget: settings.targets.test,
    },
  };
  for (const [p, text] of Object.entries(renderAdvisoryFiles(ctx))) tree.write(`${dir}/${p}`, text);
  const gitignore = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') : null;
  const ignored = withSecurityIgnored(gitignore);
  if (ignored !== gitignore) tree.write('.gitignore', ignored);

  if (plan.branches.length === 0) {
    logger.warn('No release branch is both affected and supported: the advisory patches none (the fix ships from main).');
  } else {
    logger.info(`Branches to patch: ${plan.branches.map((b) => `${b.branch} (${b.version} -> ${b.nextVersion})`).join(', ')}`);
  }
  logger.info(`Advisory ${plan.id}: ${dir}/ (see CHECKLIST.md). security/ is ignored by git; crate-train never commits or pushes it.`);
  if (options.github) logger.info('With --github the draft advisory and its private fork are created once the files are written (not in a dry run).');

  return async () => {
    await excludeLocally(root);
    if (options.github) await publishToGitHub(root, ctx, settings, repository!);
  };
}
