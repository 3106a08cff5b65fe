// Registry client: the sparse index (what cargo sees when it resolves) and the web
// API (what the registry has stored: versions, owners, yank). The API answers at once;
// the index lags behind by the propagation delay, which is why publishing waits on it.
import { httpRequest, RegistryHttpError, errorDetail, type HttpOptions } from './http';
import type { ResolvedRegistry } from './cargo-config';

/** One line of a crate's index file (the fields crate-train reads). */
export interface IndexLine {
  name: string;
  vers: string;
  yanked: boolean;
  cksum: string;
  deps: Array<{ name: string; req: string; kind?: string; package?: string; registry?: string }>;
}

export function indexFilePath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

export class SparseIndex {
  private readonly cache = new Map<string, { etag: string; lines: IndexLine[] }>();
  private configPromise?: Promise<{ dl: string; api?: string }>;

  constructor(
    /** Index base URL (no `sparse+`, ending in `/`). */
    readonly base: string,
    private readonly http: HttpOptions = {},
  ) {}

  /** The index's config.json (`dl`, `api`). */
  config(): Promise<{ dl: string; api?: string }> {
    this.configPromise ??= httpRequest(`${this.base}config.json`, {}, this.http).then((r) => {
      if (r.status !== 200) throw new RegistryHttpError(`${this.base}config.json answered ${r.status}: ${errorDetail(r.text)}`, this.base, r.status);
      return JSON.parse(r.text) as { dl: string; api?: string };
    });
    this.configPromise.catch(() => (this.configPromise = undefined));
    return this.configPromise;
  }

  /**
   * A crate's index lines, fresh: conditional on the last ETag, with `no-cache` and a
   * cache-busting query so a CDN in front of the index revalidates. [] when unknown.
   */
  async lines(name: string, http: HttpOptions = this.http): Promise<IndexLine[]> {
    const path = indexFilePath(name);
    const cached = this.cache.get(path);
    const headers: Record<string, string> = { 'cache-control': 'no-cache', pragma: 'no-cache' };
    if (cached) headers['if-none-match'] = cached.etag;
    const r = await httpRequest(`${this.base}${path}?cb=${Date.now().toString(36)}`, { headers }, http);
    if (r.status === 304 && cached) return cached.lines;
    if (r.status === 404 || r.status === 410 || r.status === 451) return [];
    if (r.status !== 200) throw new RegistryHttpError(`index file of \`${name}\` answered ${r.status}`, this.base, r.status);
    const lines = r.text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as IndexLine);
    const etag = r.headers.get('etag');
    if (etag) this.cache.set(path, { etag, lines });
    return lines;
  }

  async hasVersion(name: string, version: string, http?: HttpOptions): Promise<boolean> {
    return (await this.lines(name, http)).some((l) => l.vers === version);
  }
}

export interface ApiVersion {
  num: string;
  yanked: boolean;
  created_at?: string;
}

export interface ApiOwner {
  login: string;
  kind?: string;
}

export class RegistryApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'RegistryApiError';
  }
}

/** The crates.io-style web API of a registry. */
export class RegistryApi {
  constructor(
    /** API base (`https://crates.io`), from the index's config.json `api`. */
    readonly base: string,
    private readonly token: string | undefined,
    private readonly http: HttpOptions = {},
  ) {}

  private async call(method: string, path: string, body?: unknown, auth = false): Promise<{ status: number; json: unknown; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      if (!this.token)
        throw new RegistryApiError(`${method} ${path} needs a registry token: set it in the environment (never on the command line)`, 401, 'no token');
      headers.authorization = this.token;
    }
    const r = await httpRequest(
      `${this.base.replace(/\/$/, '')}${path}`,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      this.http,
    );
    let json: unknown;
    try {
      json = JSON.parse(r.text);
    } catch {
      json = undefined;
    }
    return { status: r.status, json, text: r.text };
  }

  private fail(method: string, path: string, r: { status: number; text: string }): never {
    const detail = errorDetail(r.text);
    throw new RegistryApiError(`${method} ${this.base}${path} answered ${r.status}: ${detail}`, r.status, detail);
  }

  /** Every version the registry stored (yanked ones too), or undefined when the crate does not exist. */
  async versions(name: string): Promise<ApiVersion[] | undefined> {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/versions`;
    const r = await this.call('GET', path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) this.fail('GET', path, r);
    return ((r.json as { versions?: ApiVersion[] }).versions ?? []).map((v) => ({ num: v.num, yanked: !!v.yanked, created_at: v.created_at }));
  }

  async owners(name: string): Promise<ApiOwner[]> {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/owners`;
    const r = await this.call('GET', path);
    if (r.status !== 200) this.fail('GET', path, r);
    return (r.json as { users?: ApiOwner[] }).users ?? [];
  }

  async addOwners(name: string, logins: string[]): Promise<string> {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/owners`;
    const r = await this.call('PUT', path, { users: logins }, true);
    if (r.status !== 200) this.fail('PUT', path, r);
    return (r.json as { msg?: string }).msg ?? 'ok';
  }

  async yank(name: string, version: string): Promise<void> {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(version)}/yank`;
    const r = await this.call('DELETE', path, undefined, true);
    if (r.status !== 200) this.fail('DELETE', path, r);
  }

  async unyank(name: string, version: string): Promise<void> {
    const path = `/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(version)}/unyank`;
    const r = await this.call('PUT', path, undefined, true);
    if (r.status !== 200) this.fail('PUT', path, r);
  }
}

/** The index and API clients for a resolved registry (the API base read from config.json). */
export async function connectRegistry(reg: ResolvedRegistry, http: HttpOptions = {}): Promise<{ index: SparseIndex; api: RegistryApi }> {
  const index = new SparseIndex(reg.indexBase, http);
  let apiBase: string | undefined;
  try {
    apiBase = (await index.config()).api;
  } catch (e) {
    throw new RegistryHttpError(
      `cannot read ${reg.indexBase}config.json of registry \`${reg.name}\` (from ${reg.source}): ${(e as Error).message}`,
      reg.indexBase,
    );
  }
  if (!apiBase) {
    throw new RegistryHttpError(`registry \`${reg.name}\` has no \`api\` in ${reg.indexBase}config.json, so it accepts no publishing`, reg.indexBase);
  }
  return { index, api: new RegistryApi(apiBase, reg.token, http) };
}
