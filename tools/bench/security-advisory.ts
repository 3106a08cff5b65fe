// Times the security-advisory pipeline (branches, support table, plan, rendered files) on a
// synthetic workspace with N release branches.
// Run: node tools/build/run-ts.mjs tools/bench/security-advisory.ts [crates=1000] [branches=6]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { readCrateList } from '@crate-train/crate-list';
import { Git } from '@crate-train/git';
import { buildAdvisoryPlan, readCratesAtRef, readReleaseBranches, renderAdvisoryFiles } from '@crate-train/security';
import { branchesToPatch, evaluateSupport } from '@crate-train/support-policy';

const CRATES = Number(process.argv[2] ?? '1000');
const BRANCHES = Number(process.argv[3] ?? '6');
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const g = (cwd: string, ...a: string[]) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...a], { cwd, stdio: 'pipe' }).toString();

async function main() {
  const base = mkdtempSync(join(tmpdir(), 'crate-train-bench-sec-'));
  try {
    const dir = join(base, 'ws');
    const info = generateSyntheticWorkspace(dir, { crates: CRATES, seed: 1 });
    g(base, 'init', '-q', '--bare', 'origin.git');
    g(dir, 'init', '-q', '-b', 'main');
    g(dir, 'add', '-A');
    g(dir, 'commit', '-q', '-m', 'init');
    g(dir, 'remote', 'add', 'origin', join(base, 'origin.git'));
    for (let i = 0; i < BRANCHES; i++) {
      const v = `${20 + i}.0.0`;
      g(dir, 'switch', '-q', '-c', `release-${v}`, 'main');
      writeFileSync(join(dir, 'RELEASES.md'), `## ${v}\n\nReleased 2025-0${1 + i}-20.\n`);
      g(dir, 'add', '-A');
      g(dir, 'commit', '-q', '-m', v);
    }
    g(dir, 'push', '-q', 'origin', '--all');
    const runs: number[] = [];
    let files = 0;
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint();
      const branches = await readReleaseBranches(dir, { remote: 'origin', branchPrefix: 'release-', releasesFile: 'RELEASES.md' });
      const table = evaluateSupport(branches, { today: '2025-07-01', policy: { ltsEvery: 12, ltsMonths: 24, regularMonths: 2 } });
      const cratesByBranch: Record<string, any> = {};
      const releasesByBranch: Record<string, string | null> = {};
      for (const row of branchesToPatch(table)) {
        cratesByBranch[row.branch] = (await readCratesAtRef(dir, `origin/${row.branch}`)).crates;
        releasesByBranch[row.branch] = (await new Git(dir).show(`origin/${row.branch}`, 'RELEASES.md')) ?? null;
      }
      const published = readCrateList(dir).cratesToPublish;
      const plan = buildAdvisoryPlan({
        summary: 's',
        severity: 'high',
        today: '2025-07-01',
        projectName: 'Synth',
        table,
        publishedCrates: published,
        cratesByBranch,
      });
      files = Object.keys(
        renderAdvisoryFiles({
          plan,
          releasesByBranch,
          template: null,
          settings: { releaseProject: 'release', remote: 'origin', releasesFile: 'RELEASES.md', workBranchPrefix: 'ci/', testTarget: 'test' },
        }),
      ).length;
      runs.push(ms(t));
      if (r === 0)
        console.log(
          `${info.crates.length} crates, ${BRANCHES} release branches, ${branchesToPatch(table).length} patched, ${plan.crates.length} advisory crates, ${files} files`,
        );
    }
    runs.sort((a, b) => a - b);
    console.log(
      `advisory pipeline (fetch + read branches + crates at each patched ref + plan + render): median ${runs[2].toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[4].toFixed(0)})`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
main();
