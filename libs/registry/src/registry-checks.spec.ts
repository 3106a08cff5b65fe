// The registry checks before the first upload, against the local registry: owners,
// new crates under trusted publishing, and the rate-limit plan's arithmetic.
import { buildPublishBody } from '@crate-train/local-registry';
import { removeTempDirs } from '@crate-train/testing';
import { resolveRegistry } from './cargo-config';
import { connectRegistry, type RegistryApi } from './client';
import type { PlanCrate } from './plan';
import { CRATES_IO_RATE_LIMITS } from './rate-budget';
import { checkRegistry, rateLimitWait } from './registry-checks';
import { registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

const crate = (name: string, version: string): PlanCrate => ({ name, version, deps: [], wave: 0, root: `crates/${name}` }) as unknown as PlanCrate;
const TEAM = 'github:bytecodealliance:wasmtime-publish';

describe('the rate-limit plan', () => {
  it("takes crates.io's burst at once, then one per period; the two kinds refill side by side", () => {
    const at = (update: number, fresh: number) => rateLimitWait({ 'publish-update': update, 'publish-new': fresh }, CRATES_IO_RATE_LIMITS);
    expect(at(30, 5)).toEqual({ ms: 0, parts: ['30 new versions within the burst of 30', '5 new crates within the burst of 5'] });
    // Wasmtime's 58 crates: 28 minutes of refill after the burst.
    expect(at(58, 0)).toEqual({ ms: 28 * 60_000, parts: ['58 new versions: 30 at once, then 1 per 1 min, about 28 min'] });
    expect(at(31, 7).ms).toBe(20 * 60_000);
    expect(at(0, 0)).toEqual({ ms: 0, parts: [] });
  });
});

describe('checkRegistry', () => {
  let fx: RegistryFixture;
  let api: RegistryApi;
  beforeAll(async () => {
    fx = await registryFixture({ rateLimit: false, users: [{ login: 'other', token: 'other-token-0123456789' }] });
    api = (await connectRegistry(resolveRegistry({ name: 'local', cwd: fx.cargo.cargoHome, env: fx.env }))).api;
    for (const name of ['owned', 'unowned', 'done']) {
      const body = buildPublishBody({ name, vers: '1.0.0', deps: [], features: {}, description: 'd', license: 'MIT' }, Buffer.from(name));
      expect((await fetch(`${fx.registry.url}/api/v1/crates/new`, { method: 'PUT', headers: { authorization: fx.registry.token }, body })).status).toBe(200);
    }
    const add = await fetch(`${fx.registry.url}/api/v1/crates/owned/owners`, {
      method: 'PUT',
      headers: { authorization: fx.registry.token },
      body: JSON.stringify({ users: [TEAM] }),
    });
    expect(add.status).toBe(200);
  });
  afterAll(() => fx.stop());

  const crates = [crate('owned', '2.0.0'), crate('unowned', '2.0.0'), crate('done', '1.0.0'), crate('fresh', '1.0.0')];
  const base = { crates, api: undefined as unknown as RegistryApi, registryName: 'local', tokenEnvVar: 'CARGO_REGISTRIES_LOCAL_TOKEN' };

  it('with trusted publishing: a new crate and an existing one the team does not own stop the run, named with the fix', async () => {
    const r = await checkRegistry({ ...base, api, ownerTeam: TEAM, trustedPublishing: true });
    expect(r.toUpload).toEqual([
      { name: 'owned', version: '2.0.0', isNew: false },
      { name: 'unowned', version: '2.0.0', isNew: false },
      { name: 'fresh', version: '1.0.0', isNew: true },
    ]);
    expect(r.problems.map((p) => `${p.crate}: ${p.cause} — ${p.fix}`)).toEqual([
      "fresh: not on `local` yet, and a trusted-publishing token cannot create a crate — publish its first version with an API token (set CARGO_REGISTRIES_LOCAL_TOKEN and run publish once), then add this repository's trusted publisher to it",
      `unowned: \`${TEAM}\` (ownerTeam) is not an owner on \`local\`, and a trusted-publishing token cannot add owners — add it: \`cargo owner --add ${TEAM} unowned\` (an owner's API token)`,
    ]);
    expect(r.ratePlan).toBe("rate-limit plan at crates.io's limits: 2 new versions within the burst of 30; 1 new crate within the burst of 5 — no wait");
    expect(r.warnings).toEqual([]);
  });

  it('with a registry token: the missing team is a warning (it is added after the upload), new crates are fine', async () => {
    const r = await checkRegistry({ ...base, api, ownerTeam: TEAM, trustedPublishing: false });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([`\`${TEAM}\` (ownerTeam) does not own unowned on \`local\`: it is added after each upload`]);
  });

  it('warns, with trusted publishing, when the uploads take longer than one token lives', async () => {
    const limits = { rateLimits: { 'publish-update': { burst: 5, periodMs: 60_000 } }, rateLimitsName: 'the test' };
    const many = Array.from({ length: 70 }, () => crate('owned', '3.0.0'));
    expect((await checkRegistry({ ...base, crates: many, api, trustedPublishing: false, ...limits })).warnings).toEqual([]);
    const r = await checkRegistry({ ...base, crates: many, api, trustedPublishing: true, ...limits });
    expect(r.rateLimitedMs).toBe(65 * 60_000);
    expect(r.ratePlan).toBe("rate-limit plan at the test's limits: 70 new versions: 5 at once, then 1 per 1 min, about 65 min — the uploads take about 65 min");
    expect(r.warnings).toEqual([
      "the uploads take about 65 min at the test's limits, longer than one trusted-publishing token lives (30 min): crate-train mints a fresh token before each one expires",
    ]);
  });
});
