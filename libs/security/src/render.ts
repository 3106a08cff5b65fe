import { AdvisoryPlan, advisoryUrl, crateRanges, PLAN_FILE } from './plan';
import { releaseEntryFor } from './release-entry';

/** What the advisory files need besides the plan (settings and branch contents). */
export interface RenderContext {
  plan: AdvisoryPlan;
  /** RELEASES.md of each branch to patch (null when missing). */
  releasesByBranch: Record<string, string | null>;
  /** The RELEASES.md template of the workspace (null: the built-in one). */
  template: string | null;
  settings: {
    releaseProject: string;
    remote: string;
    releasesFile: string;
    workBranchPrefix: string;
    testTarget: string;
  };
}

export const RUSTSEC_FILE = 'RUSTSEC-0000-0000.md';

/** Folder-relative path of a branch's note file. */
export const branchFile = (branch: string) => `branches/${branch}.md`;
export const rustsecFile = (crate: string) => `rustsec/crates/${crate}/${RUSTSEC_FILE}`;

/** "Wasmtime 3.0.2, 4.0.1 and 5.0.1" */
export function versionsPhrase(plan: AdvisoryPlan): string {
  const v = plan.branches.map((b) => b.nextVersion);
  if (v.length === 0) return `${plan.projectName} (no release branch to patch)`;
  const list = v.length === 1 ? v[0] : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`;
  return `${plan.projectName} ${list}`;
}

/** Every file of `security/<id>/`, by path relative to that folder. */
export function renderAdvisoryFiles(ctx: RenderContext): Record<string, string> {
  const { plan } = ctx;
  const files: Record<string, string> = {};
  files[PLAN_FILE] = JSON.stringify(plan, null, 2) + '\n';
  files['advisory.md'] = renderAdvisoryMd(plan);
  for (const b of plan.branches) files[branchFile(b.branch)] = renderBranchMd(ctx, b.branch);
  for (const crate of plan.crates) {
    const r = crateRanges(plan, crate);
    if (r.patched.length) files[rustsecFile(crate)] = renderRustsec(plan, crate);
  }
  files['email-pre-announcement.md'] = renderPreAnnouncement(plan);
  files['email-release-day.md'] = renderReleaseDayEmail(plan);
  files['CHECKLIST.md'] = renderChecklist(ctx);
  return files;
}

const code = (s: string) => `\`${s}\``;

function rangesTable(plan: AdvisoryPlan): string {
  const rows = plan.crates
    .map((c) => crateRanges(plan, c))
    .filter((r) => r.patched.length)
    .map((r) => `| ${code(r.name)} | ${r.affected.map(code).join('<br>')} | ${r.patched.map(code).join('<br>')} |`);
  if (rows.length === 0) return '_No release branch is patched: the fix ships with the next release from the main branch._\n';
  return ['| Crate | Affected versions | Patched versions |', '|---|---|---|', ...rows].join('\n') + '\n';
}

export function renderAdvisoryMd(plan: AdvisoryPlan): string {
  const url = advisoryUrl(plan.repository, plan.ghsa);
  return `# ${plan.summary}

<!-- Private until the advisory is published. crate-train keeps security/ out of git (.gitignore). -->

| | |
|---|---|
| Advisory | [${plan.ghsa}](${url}) |
| Severity | ${plan.severity} |
| Repository | ${plan.repository} |
| Affected (--affected) | ${plan.affected} |
| Planned release day | ${plan.releaseDay ?? 'not set (use --releaseDay=YYYY-MM-DD)'} |

Copy the sections below into the GitHub advisory's description, and the ranges
into its affected products (one entry per crate and range).

## Affected and patched versions

${rangesTable(plan)}
### Impact

TODO: who is affected, under which configuration, and what an attacker can do.

### Patches

This issue is fixed in ${versionsPhrase(plan)}.
Users of other release lines should upgrade to one of these versions.

### Workarounds

TODO: a configuration that avoids the issue, or "There are no known workarounds."

### References

* [${plan.ghsa}](${url})
${plan.branches.map((b) => `* Release notes of ${b.nextVersion}: https://github.com/${plan.repository}/blob/${b.branch}/RELEASES.md`).join('\n')}
`;
}

export function renderBranchMd(ctx: RenderContext, branch: string): string {
  const { plan } = ctx;
  const b = plan.branches.find((x) => x.branch === branch)!;
  const url = advisoryUrl(plan.repository, plan.ghsa);
  const entry = releaseEntryFor({
    version: b.nextVersion,
    note: plan.releaseNote,
    ghsa: plan.ghsa,
    url,
    branchReleases: ctx.releasesByBranch[branch] ?? null,
    template: ctx.template,
  });
  const support = b.lts ? `LTS, supported until ${b.endOfSupport}` : `supported until ${b.endOfSupport}`;
  const crates = b.crates.length
    ? b.crates.map((c) => `| ${code(c.name)} | ${c.version} | ${c.nextVersion} |`).join('\n')
    : '| (none of the advisory crates is on this branch) | | |';
  const where = entry.sectionExists
    ? `The branch already has a \`## ${b.nextVersion}\` section: add the entry under \`### Fixed\`. The section then reads:`
    : `Prepend this section to ${ctx.settings.releasesFile} (the branch has no \`## ${b.nextVersion}\` section yet):`;
  return `# ${branch}: patch release ${b.nextVersion}

Released ${b.releaseDate ?? 'never'}; ${support}.
Version now: ${b.version}; the security release bumps it to ${b.nextVersion}.

| Crate | Now | Patch release |
|---|---|---|
${crates}

## RELEASES.md entry (goes in this branch's private fix PR)

${where}

\`\`\`markdown
${entry.section}\`\`\`

The entry alone:

\`\`\`markdown
${entry.entry}\`\`\`

## Commits required on release day

Commits listed in \`requiredCommits\` of this branch in ${PLAN_FILE} (a SHA, or text
of the commit message for a squash-merged PR) must be on \`${ctx.settings.remote}/${branch}\`
before \`security-release\` opens the version-bump PR: list the fix PR and any
CI fixes backported to this branch there.
`;
}

export function renderRustsec(plan: AdvisoryPlan, crate: string): string {
  const r = crateRanges(plan, crate);
  const url = advisoryUrl(plan.repository, plan.ghsa);
  const q = (s: string) => JSON.stringify(s);
  return `\`\`\`toml
[advisory]
id = "RUSTSEC-0000-0000"
package = ${q(crate)}
date = ${q(plan.releaseDay ?? plan.created)}
url = ${q(url)}
categories = []
keywords = []
aliases = [${q(plan.ghsa)}]
license = "CC0-1.0"

[versions]
patched = [
${r.patched.map((p) => `    ${q(p)},`).join('\n')}
]
unaffected = []
\`\`\`

# ${plan.summary}

This entry mirrors the ${plan.projectName} security advisory ${plan.ghsa}:
${url}

The GitHub advisory has the full description, the affected versions and any workarounds.
`;
}

export function renderPreAnnouncement(plan: AdvisoryPlan): string {
  const day = plan.releaseDay ?? 'DATE';
  return `Subject: Upcoming ${plan.projectName} security release on ${day}

Hello,

The ${plan.projectName} maintainers will publish a security release on ${day}
to fix one vulnerability of ${plan.severity} severity. The following versions
will be released:

${plan.branches.map((b) => `* ${plan.projectName} ${b.nextVersion}${b.lts ? ' (LTS)' : ''}`).join('\n') || '* (none yet)'}

Release lines not listed above are either not affected or out of support;
users of an out-of-support line should plan to upgrade to one of the versions above.

Details of the vulnerability will stay private until the release. If your
organization needs advance notice, reply to this message.

Thank you,
The ${plan.projectName} maintainers
`;
}

export function renderReleaseDayEmail(plan: AdvisoryPlan): string {
  const url = advisoryUrl(plan.repository, plan.ghsa);
  const ranges = plan.crates
    .map((c) => crateRanges(plan, c))
    .filter((r) => r.patched.length)
    .map((r) => `* ${r.name}: affected ${r.affected.join('; ')}; patched ${r.patched.join('; ')}`)
    .join('\n');
  return `Subject: ${plan.projectName} security release: ${plan.branches.map((b) => b.nextVersion).join(', ') || 'advisory'} (${plan.ghsa})

Hello,

${versionsPhrase(plan)} ${plan.branches.length > 1 ? 'have' : 'has'} been released today to fix
${plan.ghsa}: ${plan.summary} (severity: ${plan.severity}).

Advisory: ${url}

Affected and patched versions:

${ranges || '* (none)'}

Users should upgrade to a patched version. The advisory describes the impact
and any workarounds. A RustSec entry will follow for users of cargo-audit and
cargo-deny.

Thank you,
The ${plan.projectName} maintainers
`;
}

export function renderChecklist(ctx: RenderContext): string {
  const { plan, settings } = ctx;
  const dir = `security/${plan.id}`;
  const fork = plan.fork?.cloneUrl ?? 'FORK_CLONE_URL';
  const perBranch = (f: (b: AdvisoryPlan['branches'][number]) => string) => plan.branches.map(f).join('\n');
  const run = `npx nx run ${settings.releaseProject}:security-release --advisory=${plan.id}`;
  return `# Security release checklist: ${plan.summary}

Advisory ${plan.ghsa}, folder \`${dir}/\` (ignored by git: never commit or push it).
Branches to patch: ${plan.branches.map((b) => `${b.branch} -> ${b.nextVersion}`).join(', ') || 'none'}.

## Before release day

- [ ] Draft advisory and private fork (skip if done):
      \`npx nx g crate-train:security-advisory --id=${plan.id} --summary=${JSON.stringify(plan.summary)} --severity=${plan.severity} --affected=${JSON.stringify(plan.affected)} --github\`
- [ ] Fill in Impact and Workarounds in \`${dir}/advisory.md\`; copy them and the
      version ranges into the GitHub advisory.
- [ ] Request a CVE from the advisory page.
- [ ] Fix \`main\` first, in the private fork.
- [ ] Add the private fork as a remote: \`git remote add advisory ${fork}\`
${perBranch(
  (b) => `- [ ] ${b.branch} (${b.version} -> ${b.nextVersion}):
      \`git fetch ${settings.remote} && git switch -c fix/${b.branch} ${settings.remote}/${b.branch}\`,
      apply the fix, paste the RELEASES.md section from \`${dir}/${branchFile(b.branch)}\`,
      run the full test suite locally (CI does not run on the private fork):
      \`npx nx run-many -t ${settings.testTarget}\` (and \`./ci/run-tests.sh\` where the branch has it),
      then \`git push advisory fix/${b.branch}\` and open a PR against ${b.branch} in the fork.`,
)}
- [ ] List CI fixes each branch needs on release day in \`requiredCommits\` of \`${dir}/${'advisory.json'}\`.
- [ ] Send \`${dir}/email-pre-announcement.md\` to the security announcement list.

## Release day

- [ ] Make the fixes public: push each \`fix/<branch>\` to the public repository,
      open its PR against the release branch (and the fix for main), merge once CI is green.
      Each fix brings the \`## <patch version>\` section of ${settings.releasesFile} the version bump dates.
- [ ] Optionally list each merged fix (its commit message text) in \`requiredCommits\`, so the next step refuses a branch without it.
- [ ] Check every branch can be prepared: \`${run} --dry-run\`
- [ ] Open the version-bump PRs (all or none): \`${run}\`
      (branches ${plan.branches.map((b) => `${settings.workBranchPrefix}bump-to-${b.nextVersion}`).join(', ') || 'none'}).
- [ ] Merge the version-bump PRs; the tag and publish automation releases each version.
- [ ] Publish the GitHub advisory and delete the private fork.
- [ ] Send \`${dir}/email-release-day.md\`.
- [ ] File the RustSec entries: copy \`${dir}/rustsec/crates/*\` into a clone of
      rustsec/advisory-db and open a PR (keep the file name ${RUSTSEC_FILE}).
- [ ] Check the release notes on main match the branches.
`;
}
