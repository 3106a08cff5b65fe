import type { IncomingMessage } from 'node:http';
import type { Params } from './router';
import type { Reply } from './http';
import { notFound } from './http';
import type { RepoRecord, StandInState } from './state';
import { BareRepo } from './bare-repo';
import { nowIso } from './state';

/** What every route handler sees. */
export interface Ctx {
  state: StandInState;
  /** API base URL (http://127.0.0.1:PORT). */
  api: string;
  /** Web base URL used for html_url fields. */
  html: string;
  /** The authenticated user (every token acts as this user). */
  login: string;
  userId: number;
  /** Where temporary private forks are created (default: next to the origin's bare repo). */
  forksDir?: string;
  nextId(): number;
  registerRepo(fullName: string, dir: string, opts?: { private?: boolean; parent?: string }): RepoRecord;
}

export interface Request {
  req: IncomingMessage;
  url: URL;
  params: Params;
  body: () => Promise<Record<string, unknown>>;
  /** What the request's token may do: `permissions` null for an App installation token (GitHub leaves the key out). */
  auth?: { permissions: Record<string, boolean> | null; installation: boolean };
}

export type Handler = (ctx: Ctx, r: Request) => Promise<Reply>;

export function repoOf(ctx: Ctx, params: Params, doc?: string): RepoRecord {
  const repo = ctx.state.repos.get(`${params.owner}/${params.repo}`.toLowerCase());
  if (!repo) throw notFound(doc);
  return repo;
}

export function makeRepoRecord(id: number, fullName: string, dir: string, opts: { private?: boolean; parent?: string } = {}): RepoRecord {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length) throw new Error(`github-stand-in: repository "${fullName}" must be "owner/name"`);
  return {
    id,
    owner,
    name,
    fullName: `${owner}/${name}`,
    path: dir,
    git: new BareRepo(dir),
    private: opts.private ?? false,
    parent: opts.parent,
    createdAt: nowIso(),
  };
}
