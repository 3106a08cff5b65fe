import { redact } from '@crate-train/proc';
import { GitHubError, TOKEN_ENV_VARS } from './errors';

export interface GitHubRepository {
  owner: string;
  repo: string;
  /** `owner/repo` */
  fullName: string;
  /** Web host, e.g. `github.com` or `ghe.example.com`; undefined for a bare `owner/repo`. */
  host?: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/** First non-empty of GITHUB_TOKEN, then GH_TOKEN. */
export function githubTokenFromEnv(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): string | undefined {
  for (const name of TOKEN_ENV_VARS) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

/**
 * Reads `owner/repo` (and the host) from a git remote URL:
 * `https://[user[:pass]@]HOST/OWNER/REPO[.git]`, `ssh://git@HOST[:port]/OWNER/REPO[.git]`,
 * `git@HOST:OWNER/REPO[.git]`, `git://HOST/OWNER/REPO[.git]`, or plain `OWNER/REPO`.
 */
export function parseGitHubRepository(url: string): GitHubRepository {
  const input = url.trim();
  let host: string | undefined;
  let pathPart: string | undefined;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(input);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    try {
      const u = new URL(input);
      host = u.hostname;
      pathPart = decodeURIComponent(u.pathname);
    } catch {
      /* reported below */
    }
  } else if (scp && !input.startsWith('/')) {
    host = scp[1];
    pathPart = scp[2];
  } else if (/^[^/\s]+\/[^/\s]+$/.test(input)) {
    pathPart = input;
  }
  const parts = (pathPart ?? '')
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  // GitHub Enterprise may serve under a path prefix; the repository is the last two segments.
  const [owner, repo] = parts.slice(-2);
  if (parts.length < 2 || !owner || !repo || !NAME.test(owner) || !NAME.test(repo)) {
    throw new GitHubError(
      `Cannot tell the GitHub repository from "${redact(input)}": expected https://HOST/OWNER/REPO(.git), ` +
        `git@HOST:OWNER/REPO.git, ssh://git@HOST/OWNER/REPO.git or OWNER/REPO. Set the repository option (owner/name) instead.`,
    );
  }
  return { owner, repo, fullName: `${owner}/${repo}`, host };
}

/** The repository from an explicit `owner/name` option, else from the remote's URL. */
export function resolveGitHubRepository(opts: { repository?: string; remoteUrl?: string }): GitHubRepository {
  if (opts.repository) {
    const r = parseGitHubRepository(opts.repository);
    return r;
  }
  if (opts.remoteUrl) return parseGitHubRepository(opts.remoteUrl);
  throw new GitHubError('No GitHub repository: set the repository option (owner/name) or give the remote a GitHub URL.');
}

/** REST API base for a web host: api.github.com for github.com, `https://HOST/api/v3` for GitHub Enterprise Server. */
export function apiBaseUrlForHost(host: string | undefined): string {
  if (!host || host === 'github.com' || host === 'www.github.com') return 'https://api.github.com';
  return `https://${host}/api/v3`;
}

/**
 * OWNER/REPO of a remote URL when it is a GitHub URL — https, ssh (`ssh://` or
 * `git@HOST:`) or git protocol, with or without `.git`, on github.com or one of
 * `hosts` (a GitHub Enterprise web host). Undefined for anything else, local
 * paths and `file://` in particular: a link is never built from a path.
 */
export function githubRepositoryOfRemote(url: string, hosts: readonly string[] = []): string | undefined {
  const input = url.trim();
  const hasScheme = /^(?:https?|ssh|git):\/\//i.test(input);
  const scp = !hasScheme && /^[^@/\s]+@[^:/\s]+:(?!\/)/.test(input);
  if (!hasScheme && !scp) return undefined;
  let parsed: GitHubRepository;
  try {
    parsed = parseGitHubRepository(input);
  } catch {
    return undefined;
  }
  const host = parsed.host?.toLowerCase();
  const known = ['github.com', 'www.github.com', ...hosts.map((h) => h.toLowerCase())];
  if (!host || !known.includes(host) || parsed.owner.startsWith('.') || parsed.repo.startsWith('.')) return undefined;
  return parsed.fullName;
}

/** A valid `OWNER/REPO` (GITHUB_REPOSITORY's form), else undefined. */
export function ownerRepo(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const [owner, repo, ...rest] = v.split('/');
  return !rest.length && owner && repo && NAME.test(owner) && NAME.test(repo) && !owner.startsWith('.') && !repo.startsWith('.') ? v : undefined;
}

/** Web hosts of a GitHub Enterprise API or server URL (github.com is always known). */
export function githubHosts(...urls: Array<string | undefined>): string[] {
  const hosts: string[] = [];
  for (const u of urls) {
    if (!u) continue;
    try {
      hosts.push(new URL(u).hostname.replace(/^api\./, ''));
    } catch {
      /* not a URL: no host */
    }
  }
  return hosts;
}

/**
 * OWNER/REPO for links and API calls: the configured value, else GITHUB_REPOSITORY
 * (set by GitHub Actions), else the remote's URL when it is a GitHub URL (on
 * github.com or the Enterprise host of `apiUrl`/GITHUB_API_URL/GITHUB_SERVER_URL).
 * Undefined when none says: a local path never names a repository.
 */
export async function githubRepositoryFor(o: {
  configured?: string;
  env: Record<string, string | undefined>;
  apiUrl?: string;
  remoteUrl: () => Promise<string | undefined>;
}): Promise<string | undefined> {
  if (o.configured) return o.configured;
  const fromEnv = ownerRepo(o.env.GITHUB_REPOSITORY);
  if (fromEnv) return fromEnv;
  const url = await o.remoteUrl();
  return url ? githubRepositoryOfRemote(url, githubHosts(o.apiUrl ?? o.env.GITHUB_API_URL, o.env.GITHUB_SERVER_URL)) : undefined;
}
