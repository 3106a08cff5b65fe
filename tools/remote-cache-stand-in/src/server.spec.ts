import { startRemoteCacheStandIn, type RemoteCacheStandIn } from './server';

let s: RemoteCacheStandIn;
beforeAll(async () => {
  s = await startRemoteCacheStandIn({ writeTokens: ['write-token'], readTokens: ['read-token'] });
});
afterAll(() => s.stop());

const put = (hash: string, body: string, token?: string) =>
  fetch(`${s.url}/v1/cache/${hash}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
const get = (hash: string, token?: string) => fetch(`${s.url}/v1/cache/${hash}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('remote cache stand-in (Nx self-hosted cache API)', () => {
  it('listens on 127.0.0.1', () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('stores with a write token (202), serves it back (200) with either token, refuses to overwrite (409)', async () => {
    expect((await put('111', 'tar-bytes', 'write-token')).status).toBe(202);
    const hit = await get('111', 'read-token');
    expect(hit.status).toBe(200);
    expect(await hit.text()).toBe('tar-bytes');
    expect((await get('111', 'write-token')).status).toBe(200);
    const again = await put('111', 'other', 'write-token');
    expect(again.status).toBe(409);
    expect(await (await get('111', 'write-token')).text()).toBe('tar-bytes');
    expect(s.entries().get('111')).toBe(9);
  });

  it('answers 404 for a hash it does not have', async () => {
    expect((await get('222', 'read-token')).status).toBe(404);
  });

  it('gives a read-only token 403 on PUT and stores nothing', async () => {
    expect((await put('333', 'x', 'read-token')).status).toBe(403);
    expect(s.entries().has('333')).toBe(false);
  });

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await get('111')).status).toBe(401);
    expect((await get('111', 'nope')).status).toBe(401);
    expect((await put('444', 'x', 'nope')).status).toBe(401);
    expect(s.entries().has('444')).toBe(false);
  });

  it('logs the kind of token, never the token', async () => {
    const log = JSON.stringify(s.requests());
    expect(log).not.toContain('write-token');
    expect(log).not.toContain('read-token');
    expect(s.requests().find((r) => r.method === 'PUT' && r.hash === '333')).toMatchObject({ status: 403, access: 'read' });
  });

  it('answers 404 outside /v1/cache/{hash}', async () => {
    expect((await fetch(`${s.url}/v1/other/1`, { headers: { authorization: 'Bearer write-token' } })).status).toBe(404);
  });

  it('refuses to start without tokens', async () => {
    await expect(startRemoteCacheStandIn({})).rejects.toThrow(/at least one write or read token/);
  });
});
