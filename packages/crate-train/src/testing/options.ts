// Helpers for the specs of refused options: a sample repo with a bare origin
// wired to the GitHub stand-in (so a run that was not refused would push and
// open a PR), and a snapshot of everything a refused run must leave alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import type { StandIn } from '@crate-train/github-stand-in';
import { git } from '@crate-train/testing';
import { sampleRepo } from './executor-repo';

export const TOKEN = 'ghp_strictOptionsToken0123456789abcd';

export interface World {
  dir: string;
  origin: string;
  repo: string;
  context: ExecutorContext;
  /** Refs of the clone and the origin, the clone's status and HEAD, the stand-in's PRs and request count, RELEASES.md. */
  snapshot(): Promise<Snapshot>;
}

export interface Snapshot {
  local: string;
  origin: string;
  status: string;
  head: string;
  pulls: number;
  githubRequests: number;
  releases: string;
}

let counter = 0;

/** A sample repo whose origin the stand-in serves as `repo`, with github options pointing at it. */
export async function world(stand: StandIn, pluginOptions: object = {}): Promise<World> {
  const repo = `bytecodealliance/strict-${process.pid}-${++counter}`;
  const { dir, origin, context } = await sampleRepo({ github: { repository: repo, baseUrl: stand.url }, ...pluginOptions });
  stand.addRepo(repo, origin);
  return {
    dir,
    origin,
    repo,
    context,
    snapshot: async () => ({
      local: await git(dir, 'for-each-ref'),
      origin: await git(origin, 'for-each-ref'),
      status: await git(dir, 'status', '--porcelain'),
      head: await git(dir, 'rev-parse', 'HEAD'),
      pulls: stand.pulls(repo).length,
      githubRequests: stand.state.requests.length,
      releases: readFileSync(join(dir, 'RELEASES.md'), 'utf8'),
    }),
  };
}
