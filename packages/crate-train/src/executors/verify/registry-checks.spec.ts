// release:verify's checks before the first upload: the `.crate` size limit
// (configurable) and, with --registryChecks, what publish asks the registry — the
// owner team, crates trusted publishing cannot create, the rate-limit plan.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublishBody, startLocalRegistry, startOidcStandIn, writeCargoConfig } from '@crate-train/local-registry';
import { captureOutput, runWithEnv, copySample, executorContext, tempDirs } from '@crate-train/testing';
import runExecutor from './executor';

// Real cargo package of the sample.
jest.setTimeout(60_000);

const tmp = tempDirs();
afterAll(() => tmp.cleanup());
const TEAM = 'github:bytecodealliance:wasmtime-publish';

describe('release:verify before the first upload', () => {
  it('--maxCrateBytes: a package over the limit is an error naming the crate and its size', async () => {
    const dir = copySample(tmp.make('verify-size'));
    const r = await captureOutput(() => runExecutor({ maxCrateBytes: 4000 }, executorContext(dir, 'verify')));
    expect(r.success).toBe(false);
    expect(r.out).toMatch(
      / - Cargo\.toml: wasmtime-cli 5\.0\.0 is too large to publish: its \.crate is 0\.0 MiB \(\d{4,} bytes\), over the registry's upload limit of 0\.0 MiB/,
    );
  });

  it('--registryChecks: under trusted publishing, crates the team does not own and new crates are errors; the rate-limit plan is shown', async () => {
    const oidc = await startOidcStandIn();
    const registry = await startLocalRegistry({ dir: tmp.make('verify-reg'), rateLimit: false, trustedPublishing: { issuer: oidc.issuer() } });
    try {
      const cargo = writeCargoConfig(registry, { cargoHome: tmp.make('verify-reg-home') });
      const dir = copySample(tmp.make('verify-reg-ws'));
      writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { registry: 'local', ownerTeam: TEAM } }] }));
      for (const name of ['wasmtime', 'wasmtime-fiber']) {
        const body = buildPublishBody({ name, vers: '0.0.1', deps: [], features: {}, description: 'seed', license: 'MIT' }, Buffer.from(name));
        expect((await fetch(`${registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: registry.token }, body })).status).toBe(200);
      }
      const add = await fetch(`${registry.url}/api/v1/crates/wasmtime/owners`, {
        method: 'PUT',
        headers: { authorization: registry.token },
        body: JSON.stringify({ users: [TEAM] }),
      });
      expect(add.status).toBe(200);
      const env = { CARGO_HOME: cargo.cargoHome, CARGO_REGISTRIES_LOCAL_TOKEN: undefined, ...oidc.env() };
      const r = await runWithEnv(env, () => runExecutor({ skipPackage: true, registryChecks: true }, executorContext(dir, 'verify')));
      expect(r.success).toBe(false);
      expect(r.out).toContain('registry `local` (trusted publishing): 11 versions to upload\n');
      expect(r.out).toContain(
        "rate-limit plan at crates.io's limits: 2 new versions within the burst of 30; 9 new crates: 5 at once, then 1 per 10 min, about 40 min",
      );
      expect(r.err).toContain(
        `error: wasmtime-fiber 5.0.0: \`${TEAM}\` (ownerTeam) is not an owner on \`local\`, and a trusted-publishing token cannot add owners`,
      );
      expect(r.err).toContain('error: pulley-interpreter 5.0.0: not on `local` yet, and a trusted-publishing token cannot create a crate');
      expect(r.err).not.toContain('error: wasmtime 5.0.0');
      expect(oidc.issued()).toBe(0);

      // With a registry token the same tree passes: new crates are fine and the team is added after each upload.
      const withToken = await runWithEnv({ ...env, CARGO_REGISTRIES_LOCAL_TOKEN: registry.token }, () =>
        runExecutor({ skipPackage: true, registryChecks: true }, executorContext(dir, 'verify')),
      );
      expect(withToken.err).toBe('');
      expect(withToken.success).toBe(true);
      expect(withToken.out).toContain(`warning: \`${TEAM}\` (ownerTeam) does not own wasmtime-fiber on \`local\`: it is added after each upload`);
      expect(withToken.out).not.toContain(registry.token);
    } finally {
      await registry.stop();
      await oidc.stop();
    }
  });
});
