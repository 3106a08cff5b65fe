// Benchmark: planning and applying a bump on a synthetic workspace of 1,000
// crates with a Cargo.lock (plan = read + scan every manifest and the lock,
// compute every edit; apply = write the changed files). Also times the
// crate-list rules (run before a checked bump) and the dry-run diff.
// Run: node tools/build/run-ts.mjs tools/bench/bump.ts [--crates 1000] [--runs 5] [--kind major]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { checkCrateRules } from '@crate-train/verify';
import { applyPlan, isBumpKind, planBump, planDiff } from '@crate-train/versions';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CRATES = Number(arg('crates', '1000'));
const RUNS = Number(arg('runs', '5'));
const KIND = arg('kind', 'major');
if (!isBumpKind(KIND)) throw new Error(`--kind must be major, patch, dev, rc or release`);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

async function main() {
  const base = mkdtempSync(join(tmpdir(), 'crate-train-bench-bump-'));
  try {
    const src = join(base, 'src');
    let t = process.hrtime.bigint();
    const info = generateSyntheticWorkspace(src, { crates: CRATES, seed: 1, lockfile: true });
    console.log(
      `synthetic workspace: ${info.crates.length} crates (${info.publishOrder.length} published), ${info.edges.length} dependency edges, lockfile; generated in ${ms(t).toFixed(0)} ms`,
    );

    const plan: number[] = [];
    const apply: number[] = [];
    const rules: number[] = [];
    let files = 0;
    let crates = 0;
    let last = '';
    for (let i = 0; i < RUNS; i++) {
      const dir = join(base, `run-${i}`);
      cpSync(src, dir, { recursive: true });
      t = process.hrtime.bigint();
      const ws = readWorkspace(dir);
      const list = readCrateList(dir);
      const violations = checkCrateRules({ workspace: ws, list, listFile: 'scripts/publish.rs' });
      rules.push(ms(t));
      if (violations.length) throw new Error(`rules failed on the synthetic workspace:\n${violations.map((v) => v.message).join('\n')}`);
      t = process.hrtime.bigint();
      const p = planBump(dir, { kind: KIND as never });
      plan.push(ms(t));
      t = process.hrtime.bigint();
      applyPlan(p);
      apply.push(ms(t));
      files = p.files.length;
      crates = p.crates.length;
      last = dir;
      if (i === RUNS - 1) {
        t = process.hrtime.bigint();
        const diff = await planDiff(p.files);
        console.log(`dry-run diff (git diff --no-index over ${files} files): ${ms(t).toFixed(0)} ms, ${diff.split('\n').length} lines`);
      }
    }
    console.log(`bump --kind=${KIND}: ${crates} crates, ${files} files per bump, ${RUNS} runs`);
    console.log(`  crate-list rules (read workspace + list + rules): ${fmt(rules)}`);
    console.log(`  plan  (read + scan + edits, incl. readWorkspace):  ${fmt(plan)}`);
    console.log(`  apply (write ${files} files, temp + rename each):    ${fmt(apply)}`);
    t = process.hrtime.bigint();
    execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: last, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`check: cargo metadata --locked --offline accepts the bumped lock (${ms(t).toFixed(0)} ms)`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
