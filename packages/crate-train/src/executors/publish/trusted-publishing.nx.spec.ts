// release:publish with crates.io trusted publishing through real nx, with the BUILT
// plugin installed: the job's OIDC variables point at the OIDC stand-in, no registry
// token is set, and the local registry exchanges the stand-in's JWTs for tokens. A
// short renewal threshold makes the run mint several tokens; a re-run uploads nothing;
// no JWT or token shows in the output, the workspace or the Nx cache.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublishBody, startLocalRegistry, startOidcStandIn, writeCargoConfig } from '@crate-train/local-registry';
import { copySample, initRepoWithOrigin, installPlugin, runNx, tempDirs } from '@crate-train/testing';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

/** Text of every file under dir but node_modules (the workspace, its target/ and .nx/ cache). */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (f !== 'node_modules') walk(p);
      } else if (st.size < 5_000_000) out.push({ path: p, text: readFileSync(p, 'latin1') });
    }
  };
  walk(dir);
  return out;
}

describe('nx run release:publish with crates.io trusted publishing', () => {
  it('mints tokens from OIDC JWTs (renewed as they age), publishes the sample, revokes them; a re-run uploads nothing; no secret anywhere', async () => {
    const oidc = await startOidcStandIn({ repository: 'example/wasmtime' });
    const registry = await startLocalRegistry({
      dir: tmp.make('tp-nx-registry'),
      indexDelayMs: 200,
      rateLimit: false,
      recordRequests: true,
      trustedPublishing: { issuer: oidc.issuer() },
    });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('tp-nx-cargo-home') });
      const dir = copySample(tmp.make('tp-nx'));
      await installPlugin(dir, { registry: 'local' });
      await initRepoWithOrigin(dir);
      const names = (await runNx(dir, ['show', 'projects', '--projects=tag:crate:published', '--json'])).stdout;
      const crates = JSON.parse(names) as string[];
      expect(crates).toHaveLength(11);
      // A trusted-publishing token cannot create a crate: each exists with an earlier version.
      for (const name of crates) {
        const body = buildPublishBody({ name, vers: '0.0.1', deps: [], features: {}, description: 'seed', license: 'MIT' }, Buffer.from(name));
        expect((await fetch(`${registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: registry.token }, body })).status).toBe(200);
      }
      // The job's environment: OIDC variables, no registry token.
      const env = { CARGO_HOME: cargo.cargoHome, CARGO_NET_OFFLINE: 'false', ...oidc.env() };
      const args = ['run', 'release:publish', '--concurrency=4', '--pollIntervalMs=50', '--renewTokenAfterMs=300'];

      const first = await runNx(dir, args, { env });
      expect(first.stdout).toMatch(/11 uploaded, 0 already published, 0 failed, 0 skipped/);
      expect(first.stdout).toMatch(/trusted publishing: token 1 minted \(GitHub OIDC token exchanged at the registry\); a fresh one is minted every 300 ms/);
      expect(first.stdout).toMatch(/trusted publishing: token 2 minted \(the previous one was \d+ (ms|s) old\)/);
      const afterFirst = registry.trustedPublishing()!;
      expect(afterFirst.minted).toBeGreaterThanOrEqual(2);
      expect(afterFirst).toMatchObject({ revoked: afterFirst.minted, live: 0, refusedJwts: 0 });
      expect(first.stdout).toContain(`trusted publishing: ${afterFirst.minted} tokens revoked`);
      expect(oidc.issued()).toBe(afterFirst.minted);

      const second = await runNx(dir, args, { env });
      expect(second.stdout).not.toMatch(/existing outputs match the cache/);
      expect(second.stdout).toMatch(/0 uploaded, 11 already published, 0 failed, 0 skipped/);
      expect(second.stdout).toContain('rate-limit plan: nothing to upload');
      expect(registry.trustedPublishing()!.live).toBe(0);
      for (const [key, n] of registry.uploads()) expect([key, n]).toEqual([key, 1]);
      expect(registry.uploads().size).toBe(22);

      const tokens = [...new Set(registry.requests().map((r) => String(r.headers.authorization ?? '').replace(/^Bearer /, '')))].filter((t) =>
        t.startsWith('crt_tp_'),
      );
      expect(tokens.length).toBe(registry.trustedPublishing()!.minted);
      const secrets = [...oidc.jwts(), ...tokens, oidc.requestToken];
      const printed = first.stdout + first.stderr + second.stdout + second.stderr;
      for (const s of secrets) expect(printed).not.toContain(s);
      for (const f of filesUnder(dir)) for (const s of secrets) expect(f.text.includes(s) ? f.path : '').toBe('');
    } finally {
      await registry.stop();
      await oidc.stop();
    }
  });
});
