// Measures the stand-in's latency through the real client, per operation.
// Run: node tools/build/run-ts.mjs tools/github-stand-in/src/bench-requests.ts [prs=20]
import { performance } from 'node:perf_hooks';
import { createGitHub } from '@crate-train/github';
import { makeBareRepo } from './fixture';
import { startGitHubStandIn } from './stand-in';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20);
  const repo = await makeBareRepo();
  const gh = await startGitHubStandIn({ repos: { 'acme/engine': repo.bare }, token: 'bench' });
  try {
    const github = await createGitHub({ repository: 'acme/engine', token: 'bench', baseUrl: gh.url });
    const main = (await repo.bareGit(['rev-parse', 'main'])).trim();
    const branches: string[] = [];
    for (let i = 0; i < n; i++) {
      await repo.commitAndPush(`ci/b-${i}`, { [`f${i}.txt`]: `${i}\n` }, `change ${i}`, 'main');
      branches.push(`ci/b-${i}`);
    }
    const time = async (label: string, count: number, fn: (i: number) => Promise<unknown>) => {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) await fn(i);
      const ms = (performance.now() - t0) / count;
      console.log(`${label.padEnd(38)} ${ms.toFixed(1).padStart(7)} ms/op  (${count} ops)`);
    };
    await time('ensurePullRequest (create)', n, (i) => github.ensurePullRequest({ head: branches[i], base: 'main', title: `T${i}`, body: 'b' }));
    await time('ensurePullRequest (unchanged)', n, (i) => github.ensurePullRequest({ head: branches[i], base: 'main', title: `T${i}`, body: 'b' }));
    await time(`listPullRequests (all ${n} open)`, 10, () => github.listPullRequests());
    await time('createTag (created)', n, (i) => github.createTag(`v0.0.${i}`, main));
    await time('listBranches(prefix)', 10, () => github.listBranches('ci/'));
    await time('mergePullRequest (merge commit)', n, (i) => github.mergePullRequest(i + 1));
  } finally {
    await gh.stop();
    repo.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
