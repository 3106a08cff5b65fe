import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copySample, git, initRepoWithOrigin, removeTempDirs } from '@crate-train/testing';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { cut, tagRelease, type TrainContext } from './index';

// Issue 14, item 4: the GitHub token goes only to the GitHub host. An `origin`
// on another HTTP host (here a loopback server that records every request's
// headers and answers 404) never receives it, in a dry run or a real one.

const TOKEN = 'ghp_foreignHostSpecToken000000001';

let stand: StandIn;
let foreign: http.Server;
const seen: http.IncomingHttpHeaders[] = [];
let foreignUrl = '';
beforeAll(async () => {
  stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
  foreign = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/acme/engine.git`;
});
afterAll(async () => {
  await stand.stop();
  foreign.closeAllConnections();
  await new Promise<void>((resolve) => foreign.close(() => resolve()));
  removeTempDirs();
});

it('cut --dry-run, cut and tag (via git) send no credential to a non-GitHub origin', async () => {
  const dir = copySample();
  const { origin } = await initRepoWithOrigin(dir);
  stand.addRepo('acme/engine', origin);
  await git(dir, 'remote', 'set-url', 'origin', foreignUrl);
  const ctx = (extra: Partial<TrainContext> = {}): TrainContext => ({
    root: dir,
    date: '2023-02-20',
    env: { GITHUB_TOKEN: TOKEN },
    options: { github: { repository: 'acme/engine', baseUrl: stand.url, tagVia: 'git' } },
    ...extra,
  });
  const errors: string[] = [];
  for (const step of [() => cut(ctx({ dryRun: true })), () => cut(ctx()), () => tagRelease({ ...ctx(), before: 'HEAD~1', after: 'HEAD' })]) {
    await step().then(
      () => undefined,
      (e: Error) => errors.push(e.message),
    );
  }
  // The origin was asked (so the check is not vacuous) and never saw a credential.
  expect(seen.length).toBeGreaterThan(0);
  for (const h of seen) {
    expect(h.authorization).toBeUndefined();
    expect(JSON.stringify(h)).not.toContain(TOKEN);
    expect(JSON.stringify(h)).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
  }
  for (const m of errors) expect(m).not.toContain(TOKEN);
});
