// The direct uploader against the local registry: its token comes from the TokenSource
// before each upload (a refused one is invalidated and minted again once), and the
// registry's answers map to the same outcomes as cargo's.
import { writeScratchCrate } from '@crate-train/local-registry/testing';
import { makeTempDir, removeTempDirs } from '@crate-train/testing';
import { resolveRegistry } from './cargo-config';
import { classifyPublishResponse, directUploader } from './direct-upload';
import { PackagedCrates } from './packaging';
import type { TokenSource } from './token-source';
import { registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

/** The direct uploader of the crate at `root` to the fixture's registry, with its own state dir and no package made ahead. */
function uploaderFor(fx: RegistryFixture, root: string, tokens: TokenSource) {
  return directUploader({
    workspaceRoot: root,
    registry: resolveRegistry({ name: 'local', cwd: root, env: fx.env }),
    apiBase: fx.registry.url,
    tokens,
    packaged: new PackagedCrates(),
    stateDir: makeTempDir('direct-state'),
    env: fx.env,
  });
}

describe('the direct uploader', () => {
  it('asks the token source before each upload; a refused token is invalidated and minted again', async () => {
    const fx = await registryFixture({ rateLimit: false });
    try {
      const root = makeTempDir('direct');
      const a = writeScratchCrate(root, { name: 'direct-a', version: '0.1.0' });
      const asked: string[] = [];
      const invalidated: string[] = [];
      let next = 'crt_expired';
      const tokens: TokenSource = {
        token: async () => {
          asked.push(next);
          return next;
        },
        invalidate: (t) => {
          invalidated.push(t);
          next = fx.registry.token;
        },
      };
      const upload = uploaderFor(fx, a, tokens);
      expect(await upload({ name: 'direct-a', version: '0.1.0', slot: 0 })).toEqual({ kind: 'uploaded' });
      expect(invalidated).toEqual(['crt_expired']);
      expect(asked).toEqual(['crt_expired', fx.registry.token]);
      expect(fx.registry.uploads().get('direct-a@0.1.0')).toBe(1);
      // Again: the registry has it.
      expect(await upload({ name: 'direct-a', version: '0.1.0', slot: 1 })).toMatchObject({ kind: 'already-exists' });
      expect(asked).toHaveLength(3);
    } finally {
      await fx.stop();
    }
  });

  it('a token no mint can fix is reported as refused, never shown', async () => {
    const fx = await registryFixture({ rateLimit: false });
    try {
      const a = writeScratchCrate(makeTempDir('direct-bad'), { name: 'direct-b', version: '0.1.0' });
      const tokens: TokenSource = { token: async () => 'crt_secret_wrong' };
      const upload = uploaderFor(fx, a, tokens);
      const out = await upload({ name: 'direct-b', version: '0.1.0', slot: 0 });
      expect(out.kind).toBe('unauthorized');
      expect(JSON.stringify(out)).not.toContain('crt_secret_wrong');
    } finally {
      await fx.stop();
    }
  });
});

describe('classifyPublishResponse', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const body = (detail: string) => JSON.stringify({ errors: [{ detail }] });
  it('maps the registry answers to outcomes', () => {
    expect(classifyPublishResponse('https://r', 200, h(), '{}')).toEqual({ kind: 'uploaded' });
    expect(classifyPublishResponse('https://r', 400, h(), body('crate version `1.0.0` is already uploaded')).kind).toBe('already-exists');
    expect(classifyPublishResponse('https://r', 429, h({ 'retry-after': '3' }), body('slow down'), 1000)).toMatchObject({
      kind: 'rate-limited',
      retryAt: 4000,
    });
    expect(classifyPublishResponse('https://r', 503, h(), 'busy')).toMatchObject({ kind: 'transient', reachedUpload: true });
    expect(classifyPublishResponse('https://r', 403, h(), body('this action requires authentication')).kind).toBe('unauthorized');
    const owner = classifyPublishResponse('https://r', 403, h(), body("this crate exists but you don't seem to be an owner."));
    expect(owner.kind).toBe('fatal');
    expect((owner as { message: string }).message).toMatch(/\(status 403 Forbidden\): this crate exists/);
  });
});
