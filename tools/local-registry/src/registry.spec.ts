import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildPublishBody,
  crateNameFromIndexPath,
  indexFilePath,
  parsePublishBody,
  RateLimiter,
  startLocalRegistry,
  FaultInjector,
  type LocalRegistry,
  type PublishMetadata,
} from './index';

async function body(r: Response | Promise<Response>): Promise<any> {
  return (await r).json();
}

function meta(name: string, vers: string, extra: Partial<PublishMetadata> = {}): PublishMetadata {
  return { name, vers, deps: [], features: {}, description: 'd', license: 'MIT', ...extra };
}

async function put(reg: LocalRegistry, m: PublishMetadata, token = reg.token): Promise<Response> {
  return fetch(`${reg.url}/api/v1/crates/new`, {
    method: 'PUT',
    headers: { authorization: token },
    body: buildPublishBody(m, Buffer.from(`crate bytes of ${m.name} ${m.vers}`)),
  });
}

describe('index format', () => {
  it('uses cargo’s path prefixes, lowercased', () => {
    expect(indexFilePath('a')).toBe('1/a');
    expect(indexFilePath('ab')).toBe('2/ab');
    expect(indexFilePath('abc')).toBe('3/a/abc');
    expect(indexFilePath('Cranelift-Codegen')).toBe('cr/an/cranelift-codegen');
    expect(crateNameFromIndexPath('cr/an/cranelift-codegen')).toBe('cranelift-codegen');
    expect(crateNameFromIndexPath('xx/an/cranelift-codegen')).toBeUndefined();
  });

  it('rejects a body whose lengths do not add up', () => {
    const good = buildPublishBody(meta('foo', '1.0.0'), Buffer.from('x'));
    expect(parsePublishBody(good).metadata.name).toBe('foo');
    expect(() => parsePublishBody(good.subarray(0, good.length - 1))).toThrow(/does not match/);
    expect(() => parsePublishBody(Buffer.from([1]))).toThrow(/too short/);
  });
});

describe('rate limiter (crates.io arithmetic)', () => {
  it('allows the burst, then one per period, and names when to come back', () => {
    const rl = new RateLimiter({ limits: { 'publish-new': { burst: 5, rateMs: 600_000 } } });
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect(rl.take('u', 'publish-new', t0 + i).ok).toBe(true);
    const refused = rl.take('u', 'publish-new', t0 + 10);
    expect(refused).toEqual({ ok: false, retryAfter: t0 + 600_000 });
    expect(rl.take('u', 'publish-new', t0 + 599_999).ok).toBe(false);
    expect(rl.take('u', 'publish-new', t0 + 600_000).ok).toBe(true);
    expect(rl.take('u', 'publish-new', t0 + 600_001)).toEqual({ ok: false, retryAfter: t0 + 1_200_000 });
    // Another user and another action have their own buckets.
    expect(rl.take('v', 'publish-new', t0).ok).toBe(true);
    expect(rl.take('u', 'publish-update', t0).ok).toBe(true);
  });

  it('scales periods for tests', () => {
    const rl = new RateLimiter({ scale: 0.001 });
    expect(rl.limit('publish-new')).toEqual({ rateMs: 600, burst: 5 });
    expect(rl.limit('publish-update')).toEqual({ rateMs: 60, burst: 30 });
  });
});

describe('fault injector', () => {
  it('is deterministic for a seed and close to its rate', () => {
    const a = new FaultInjector({ rate: 0.2, seed: 7 });
    const b = new FaultInjector({ rate: 0.2, seed: 7 });
    const da = Array.from({ length: 1000 }, () => a.decide('GET', '/x')?.kind ?? '-');
    const db = Array.from({ length: 1000 }, () => b.decide('GET', '/x')?.kind ?? '-');
    expect(da).toEqual(db);
    const failed = da.filter((k) => k !== '-').length;
    expect(failed).toBeGreaterThan(150);
    expect(failed).toBeLessThan(250);
    expect(new Set(da)).toEqual(new Set(['-', '500', '429', 'hang']));
  });
});

describe('local registry over HTTP', () => {
  let dir: string;
  let reg: LocalRegistry;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crate-train-registry-test-'));
    reg = await startLocalRegistry({ dir, rateLimit: { scale: 0.001 } });
  });
  afterEach(async () => {
    await reg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves config.json with dl and api on 127.0.0.1', async () => {
    expect(reg.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const cfg = await body(fetch(`${reg.url}/index/config.json`));
    expect(cfg).toEqual({ dl: `${reg.url}/api/v1/crates`, api: reg.url });
  });

  it('publishes, lists, downloads; refuses a duplicate with crates.io’s error shape', async () => {
    const r = await put(reg, meta('Foo_bar', '1.0.0'));
    expect(r.status).toBe(200);
    const line = JSON.parse((await (await fetch(`${reg.url}/index/fo/o_/foo_bar`)).text()).trim());
    expect(line).toMatchObject({ name: 'Foo_bar', vers: '1.0.0', yanked: false, deps: [] });
    const data = Buffer.from(await (await fetch(`${reg.url}/api/v1/crates/Foo_bar/1.0.0/download`)).arrayBuffer());
    expect(createHash('sha256').update(data).digest('hex')).toBe(line.cksum);
    const dup = await put(reg, meta('Foo_bar', '1.0.0'));
    expect(dup.status).toBe(400);
    expect(await body(dup)).toEqual({ errors: [{ detail: 'crate version `1.0.0` is already uploaded' }] });
    expect(reg.uploads().get('Foo_bar@1.0.0')).toBe(1);
    expect(reg.uploadAttempts().get('Foo_bar@1.0.0')).toBe(2);
    const stats = await body(fetch(`${reg.url}/api/private/stats`));
    expect(stats).toMatchObject({ uploads: { 'Foo_bar@1.0.0': 1 }, uploadAttempts: { 'Foo_bar@1.0.0': 2 }, rateLimited: 0 });
    const other = await put(reg, meta('foo-bar', '2.0.0'));
    expect(other.status).toBe(400);
    expect((await body(other)).errors[0].detail).toMatch(/previously named `Foo_bar`/);
    const versions = await body(fetch(`${reg.url}/api/v1/crates/Foo_bar/versions`));
    expect(versions.versions.map((v: { num: string }) => v.num)).toEqual(['1.0.0']);
  });

  it('writes renamed deps, foreign registries and dep: features the way crates.io does', async () => {
    const m = meta('renamer', '0.1.0', {
      deps: [
        { name: 'real-name', version_req: '^1', explicit_name_in_toml: 'alias', optional: true, kind: 'normal' },
        { name: 'other', version_req: '=2.0.0', registry: 'https://example.com/index', kind: 'build' },
        { name: 'same', version_req: '^3', registry: `sparse+${reg.url}/index/`, kind: 'dev' },
      ],
      features: { plain: [], uses: ['dep:alias'] },
    });
    expect((await put(reg, m)).status).toBe(200);
    const line = JSON.parse((await (await fetch(`${reg.url}/index/re/na/renamer`)).text()).trim());
    expect(line.deps[0]).toMatchObject({ name: 'alias', package: 'real-name', req: '^1', optional: true });
    expect(line.deps[1]).toMatchObject({ name: 'other', registry: 'https://example.com/index', kind: 'build' });
    expect(line.deps[2].registry).toBeUndefined();
    expect(line.features).toEqual({ plain: [] });
    expect(line.features2).toEqual({ uses: ['dep:alias'] });
    expect(line.v).toBe(2);
  });

  it('requires a token for publish, yank and owners', async () => {
    const r = await put(reg, meta('foo', '1.0.0'), 'wrong');
    expect(r.status).toBe(403);
    expect((await body(r)).errors[0].detail).toMatch(/authentication/);
    expect(reg.uploads().size).toBe(0);
  });

  it('replaces a token (a revoked one is refused from then on) and keeps the new one across a restart', async () => {
    const old = reg.token;
    expect((await put(reg, meta('rotating', '1.0.0'))).status).toBe(200);
    reg.setToken('crt_replacement_token');
    expect(reg.token).toBe('crt_replacement_token');
    const refused = await put(reg, meta('rotating', '1.0.1'), old);
    expect(refused.status).toBe(403);
    expect((await body(refused)).errors[0].detail).toBe('this action requires authentication');
    expect((await put(reg, meta('rotating', '1.0.1'))).status).toBe(200);
    expect(() => reg.setToken('x', 'nobody')).toThrow(/no user nobody/);
    await reg.stop();
    reg = await startLocalRegistry({ dir });
    expect(reg.token).toBe('crt_replacement_token');
  });

  it('shows a version in the index only after the propagation delay; the API sees it at once', async () => {
    reg.setIndexDelay(400);
    await put(reg, meta('late', '1.0.0'));
    expect((await fetch(`${reg.url}/index/la/te/late`)).status).toBe(404);
    const api = await body(fetch(`${reg.url}/api/v1/crates/late/versions`));
    expect(api.versions[0].num).toBe('1.0.0');
    await new Promise((r) => setTimeout(r, 450));
    expect((await fetch(`${reg.url}/index/la/te/late`)).status).toBe(200);
  });

  it('answers 429 with a Retry-After date after the burst of new crates', async () => {
    for (let i = 0; i < 5; i++) expect((await put(reg, meta(`burst-${i}`, '1.0.0'))).status).toBe(200);
    const r = await put(reg, meta('burst-5', '1.0.0'));
    expect(r.status).toBe(429);
    const retryAfter = Date.parse(r.headers.get('retry-after') ?? '');
    expect(retryAfter).toBeGreaterThan(Date.now() - 1000);
    expect(retryAfter).toBeLessThanOrEqual(Date.now() + 2000);
    expect((await body(r)).errors[0].detail).toMatch(/too many new crates.*Please try again after .* GMT/);
    expect(reg.rateLimited()).toBe(1);
    // New versions of existing crates use their own, larger bucket.
    expect((await put(reg, meta('burst-0', '1.0.1'))).status).toBe(200);
  });

  it('yanks and unyanks; the index line follows', async () => {
    await put(reg, meta('yanky', '1.0.0-rc.1'));
    const y = await fetch(`${reg.url}/api/v1/crates/yanky/1.0.0-rc.1/yank`, { method: 'DELETE', headers: { authorization: reg.token } });
    expect(await body(y)).toEqual({ ok: true });
    expect(JSON.parse(await (await fetch(`${reg.url}/index/ya/nk/yanky`)).text()).yanked).toBe(true);
    await fetch(`${reg.url}/api/v1/crates/yanky/1.0.0-rc.1/unyank`, { method: 'PUT', headers: { authorization: reg.token } });
    expect(reg.versions('yanky')[0].yanked).toBe(false);
  });

  it('manages owners: teams added directly, unknown users refused', async () => {
    await put(reg, meta('owned', '1.0.0'));
    const add = await fetch(`${reg.url}/api/v1/crates/owned/owners`, {
      method: 'PUT',
      headers: { authorization: reg.token, 'content-type': 'application/json' },
      body: JSON.stringify({ users: ['github:bytecodealliance:wasmtime-publish'] }),
    });
    expect((await body(add)).ok).toBe(true);
    const list = await body(fetch(`${reg.url}/api/v1/crates/owned/owners`));
    expect(list.users.map((u: { login: string; kind: string }) => `${u.kind}:${u.login}`)).toEqual([
      'user:local-user',
      'team:github:bytecodealliance:wasmtime-publish',
    ]);
    const bad = await fetch(`${reg.url}/api/v1/crates/owned/owners`, {
      method: 'PUT',
      headers: { authorization: reg.token },
      body: JSON.stringify({ users: ['nobody'] }),
    });
    expect(bad.status).toBe(404);
    const del = await fetch(`${reg.url}/api/v1/crates/owned/owners`, {
      method: 'DELETE',
      headers: { authorization: reg.token },
      body: JSON.stringify({ users: ['local-user'] }),
    });
    expect((await body(del)).errors[0].detail).toMatch(/cannot remove all individual owners/);
  });

  it('keeps crates, owners and the token across a restart', async () => {
    await put(reg, meta('durable', '1.0.0'));
    const token = reg.token;
    await reg.stop();
    reg = await startLocalRegistry({ dir });
    expect(reg.token).toBe(token);
    expect((await fetch(`${reg.url}/index/du/ra/durable`)).status).toBe(200);
    expect((await fetch(`${reg.url}/api/v1/crates/durable/1.0.0/download`)).status).toBe(200);
    expect((await put(reg, meta('durable', '1.0.0'))).status).toBe(400);
  });

  it('injects seeded faults: 500, 429 with Retry-After, and hangs', async () => {
    reg.setFaults({ rate: 1, seed: 3, kinds: ['500'] });
    expect((await fetch(`${reg.url}/index/config.json`)).status).toBe(500);
    reg.setFaults({ rate: 1, seed: 3, kinds: ['429'], retryAfterMs: 1000 });
    const r = await fetch(`${reg.url}/index/config.json`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/GMT$/);
    reg.setFaults({ rate: 1, seed: 3, kinds: ['hang'], hangMs: 60_000 });
    const hung = await fetch(`${reg.url}/index/config.json`, { signal: AbortSignal.timeout(300) }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(hung).toBe('TimeoutError');
    expect(reg.faultsInjected()).toEqual({ '500': 1, '429': 1, hang: 1 });
    // After-commit faults: the upload is stored though the client sees a 500.
    reg.setFaults({ rate: 1, seed: 3, kinds: ['500'], afterCommitShare: 1, match: /^PUT / });
    expect((await put(reg, meta('lost-answer', '1.0.0'))).status).toBe(500);
    expect(reg.uploads().get('lost-answer@1.0.0')).toBe(1);
  });
});

describe('what reached the registry', () => {
  it('records each request’s method, path and headers when asked (and nothing otherwise)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crate-train-registry-test-'));
    const reg = await startLocalRegistry({ dir, rateLimit: false, recordRequests: true });
    const quiet = await startLocalRegistry({ dir: mkdtempSync(join(tmpdir(), 'crate-train-registry-test-')), rateLimit: false });
    try {
      await fetch(`${reg.url}/index/config.json`);
      await put(reg, meta('seen', '1.0.0'));
      const reqs = reg.requests();
      expect(reqs.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /index/config.json', 'PUT /api/v1/crates/new']);
      expect(reqs[0].headers.authorization).toBeUndefined();
      expect(reqs[1].headers.authorization).toBe(reg.token);
      await fetch(`${quiet.url}/index/config.json`);
      expect(quiet.requests()).toEqual([]);
      expect(quiet.requestCount()).toBe(1);
    } finally {
      await reg.stop();
      await quiet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
