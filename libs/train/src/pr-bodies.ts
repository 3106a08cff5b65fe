import type { Run } from './context';

// Pull request texts: what the PR is and what the maintainer should check
// before merging it. Links point at the repository when it is known.

export interface BodyContext {
  project: string;
  /** OWNER/REPO, when known. */
  repository?: string;
  /** Web root of the GitHub host (https://github.com, or a GitHub Enterprise host). */
  web: string;
  mainBranch: string;
  releasesFile: string;
}

function tree(b: BodyContext, branch: string): string {
  return b.repository ? `[\`${branch}\`](${b.web}/${b.repository}/tree/${branch})` : `\`${branch}\``;
}

function notes(b: BodyContext, branch: string): string {
  return b.repository ? `[${b.releasesFile}](${b.web}/${b.repository}/blob/${branch}/${b.releasesFile})` : `\`${b.releasesFile}\` on \`${branch}\``;
}

const footer = 'Opened automatically by crate-train; re-running the step updates this pull request instead of opening another.';

export function cutBody(b: BodyContext, o: { current: string; next: string; releaseBranch: string; crates: number; rc?: string }): string {
  return [
    `The release branch ${tree(b, o.releaseBranch)} has been cut from \`${b.mainBranch}\`, and this pull request moves \`${b.mainBranch}\` on to ${b.project} ${o.next}: ` +
      `it bumps ${o.crates} crate${o.crates === 1 ? '' : 's'} from ${o.current} and starts the ${o.next} section of ${b.releasesFile}.`,
    '',
    'Before merging, please check:',
    `- the diff only changes versions (crate manifests, dependency requirements, \`Cargo.lock\`, version files) and adds the new ${b.releasesFile} section;`,
    `- the ${o.current} release notes (${notes(b, o.releaseBranch)}) are complete. Fixes land on \`${b.mainBranch}\` first and are then backported to \`${o.releaseBranch}\`.`,
    '',
    o.rc
      ? `Merging this releases nothing by itself. A separate pull request against \`${o.releaseBranch}\` publishes the release candidate ${o.rc}; the release itself comes on release day.`
      : 'Merging this releases nothing; it can be merged right away. The release itself comes as another pull request on release day.',
    '',
    footer,
  ].join('\n');
}

export function releaseDateMainBody(b: BodyContext, o: { version: string; releaseBranch: string; date: string }): string {
  return [
    `${b.project} ${o.version} is released today (${o.date}): this pull request records the release date in ${b.releasesFile} on \`${b.mainBranch}\`.`,
    '',
    `It only changes the \`Unreleased\` line of the ${o.version} section; please check that nothing else changed, then merge it. ` +
      `The release itself is the other pull request, against ${tree(b, o.releaseBranch)}.`,
    '',
    footer,
  ].join('\n');
}

export function releaseBranchBody(b: BodyContext, o: { version: string; releaseBranch: string; date: string; marker: string; rc?: boolean }): string {
  return [
    `It is time to release ${b.project} ${o.version} from ${tree(b, o.releaseBranch)}. This pull request ` +
      (o.rc ? `sets the version to ${o.version}` : `writes the release date (${o.date}) into ${b.releasesFile}`) +
      `, and its commit carries the marker \`${o.marker}\`.`,
    '',
    `**Merging it releases ${o.version}**: the tag \`v${o.version}\` is created at the merge, which publishes the crates and builds the release artifacts.`,
    '',
    'Before merging, please check:',
    `- ${notes(b, o.releaseBranch)} is complete for ${o.version};`,
    '- there are no open security issues or known regressions that should block the release;',
    `- CI on \`${o.releaseBranch}\` is green.`,
    '',
    footer,
  ].join('\n');
}

export function patchBody(
  b: BodyContext,
  o: { version: string; current: string; releaseBranch: string; date: string; marker: string; crates: number },
): string {
  return [
    `A patch release: ${b.project} ${o.version} from ${tree(b, o.releaseBranch)}. This pull request bumps ${o.crates} crate${o.crates === 1 ? '' : 's'} from ${o.current} to ${o.version}, ` +
      `writes the release date (${o.date}) into ${b.releasesFile}, and its commit carries the marker \`${o.marker}\`.`,
    '',
    `**Merging it releases ${o.version}**: the tag \`v${o.version}\` is created at the merge, which publishes the crates.`,
    '',
    'Before merging, please check:',
    `- every backport meant for ${o.version} is on \`${o.releaseBranch}\`, and ${notes(b, o.releaseBranch)} describes them;`,
    '- the public crates (`PUBLIC_CRATES` in the crate list) have no breaking API change since the last release of this branch;',
    `- CI on \`${o.releaseBranch}\` is green (it may not have run for a while: backport CI fixes if needed).`,
    '',
    footer,
  ].join('\n');
}

/** https://github.com, or the web host of a GitHub Enterprise API URL. */
export function webRoot(baseUrl: string | undefined): string {
  if (!baseUrl || /^https:\/\/api\.github\.com\/?$/.test(baseUrl)) return 'https://github.com';
  return baseUrl.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '');
}

/**
 * A PR body with what the maintainer must still do as a checklist at the top,
 * and the warnings of the run (rules stricter than Wasmtime's own script, which
 * never stop a release) listed at the end.
 */
export function withChecks(body: string, o: { todo?: string[]; warnings?: string[] }): string {
  const todo = o.todo ?? [];
  const warnings = o.warnings ?? [];
  const head = todo.length ? `${todo.map((t) => `- [ ] ${t}`).join('\n')}\n\n` : '';
  const tail = warnings.length
    ? `\n\nWarnings (they do not stop the release; \`nx run release:verify --strict\` fails on them):\n${warnings.map((w) => `- ${w}`).join('\n')}`
    : '';
  return head + body + tail;
}

/** What every PR body needs to know of the run: project, repository, web host, branch and notes file. */
export async function bodyContext(run: Run): Promise<BodyContext> {
  return {
    project: run.options.projectName,
    repository: await run.repository(),
    web: webRoot(run.options.github.baseUrl ?? run.env.GITHUB_API_URL),
    mainBranch: run.options.mainBranch,
    releasesFile: run.options.releasesFile,
  };
}
