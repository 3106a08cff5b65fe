// Real cargo against the local registry: the known-good setup (scratch CARGO_HOME,
// crates.io replaced by the registry, token in the environment).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { startLocalRegistry, writeCargoConfig, indexFilePath, type LocalRegistry, type CargoHomeSetup } from './index';
import { writeScratchCrate } from './testing/scratch-crate';

describe('real cargo against the local registry', () => {
  let work: string;
  let regDir: string;
  let reg: LocalRegistry;
  let cargo: CargoHomeSetup;

  const publish = (crateDir: string) =>
    run('cargo', ['publish', '--registry', 'local', '--no-verify', '--allow-dirty'], {
      cwd: crateDir,
      env: cargo.env,
      reject: false,
      timeoutMs: 120_000,
    });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'crate-train-cargo-reg-'));
    regDir = join(work, 'registry');
    reg = await startLocalRegistry({ dir: regDir, rateLimit: { scale: 0.01 } });
    cargo = writeCargoConfig(reg, { cargoHome: join(work, 'cargo-home') });
  });
  afterAll(async () => {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('publishes a crate that is then in the index, downloadable, and resolvable by a dependent', async () => {
    const base = writeScratchCrate(work, { name: 'ct-base', version: '1.0.0', features: ['extra = []'] });
    const r = await publish(base);
    expect(r.stderr).toContain('Uploaded ct-base v1.0.0 to registry `local`');
    expect(r.exitCode).toBe(0);
    expect(reg.uploads().get('ct-base@1.0.0')).toBe(1);

    const line = JSON.parse((await (await fetch(`${reg.url}/index/${indexFilePath('ct-base')}`)).text()).trim());
    expect(line).toMatchObject({ name: 'ct-base', vers: '1.0.0', features: { extra: [] }, yanked: false });
    const crate = Buffer.from(await (await fetch(`${reg.url}/api/v1/crates/ct-base/1.0.0/download`)).arrayBuffer());
    expect(createHash('sha256').update(crate).digest('hex')).toBe(line.cksum);

    // A dependent that names the crate as a crates.io dependency, renamed, resolves and downloads it.
    const user = writeScratchCrate(work, {
      name: 'ct-user',
      version: '0.1.0',
      deps: ['base = { package = "ct-base", version = "1", features = ["extra"] }'],
    });
    await run('cargo', ['fetch'], { cwd: user, env: cargo.env, timeoutMs: 120_000 });
    const lock = readFileSync(join(user, 'Cargo.lock'), 'utf8');
    expect(lock).toMatch(
      /name = "ct-base"\nversion = "1\.0\.0"\nsource = "registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index"\nchecksum = "([0-9a-f]{64})"/,
    );
    expect(lock).toContain(`checksum = "${line.cksum}"`);

    // ...and can be published in turn: its index line keeps the rename.
    expect((await publish(user)).exitCode).toBe(0);
    const userLine = JSON.parse((await (await fetch(`${reg.url}/index/${indexFilePath('ct-user')}`)).text()).trim());
    expect(userLine.deps[0]).toMatchObject({ name: 'base', package: 'ct-base', req: '^1', features: ['extra'] });
  });

  it('fails cargo with the registry’s own error on a version that already exists', async () => {
    const dir = writeScratchCrate(join(work, 'dup'), { name: 'ct-dup', version: '1.0.0' });
    expect((await publish(dir)).exitCode).toBe(0);
    // Hide it from the index (as a slow index would) so cargo's own pre-check passes
    // and the upload reaches the registry.
    reg.setIndexDelay(10 * 60_000);
    try {
      const again = await publish(dir);
      expect(again.exitCode).not.toBe(0);
      expect(again.stderr).toContain('crate version `1.0.0` is already uploaded');
      expect(reg.uploads().get('ct-dup@1.0.0')).toBe(1);
      expect(reg.uploadAttempts().get('ct-dup@1.0.0')).toBe(2);
    } finally {
      reg.setIndexDelay(0);
    }
    // With the version visible, cargo refuses before uploading.
    const visible = await publish(dir);
    expect(visible.stderr).toMatch(/ct-dup@1\.0\.0 already exists on `local` index/);
    expect(reg.uploadAttempts().get('ct-dup@1.0.0')).toBe(2);
  });

  it('returns 429 with Retry-After once the burst of new crates is spent, and cargo reports it', async () => {
    // Two new crates were published above, one more in the test before; spend the rest of the burst of 5.
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await publish(writeScratchCrate(join(work, 'burst'), { name: `ct-burst-${i}`, version: '0.1.0' })));
    }
    const refused = results.find((r) => r.exitCode !== 0);
    expect(refused?.stderr).toMatch(
      /status 429 Too Many Requests\): You have published too many new crates in a short period of time\. Please try again after \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/,
    );
    expect(reg.rateLimited()).toBeGreaterThan(0);
  });

  it('serves downloads through a dl template too', async () => {
    const token = reg.token;
    await reg.stop();
    reg = await startLocalRegistry({ dir: regDir, rateLimit: { scale: 0.01 }, dlTemplate: true });
    expect(reg.token).toBe(token);
    writeCargoConfig(reg, { cargoHome: cargo.cargoHome });
    expect(await (await fetch(`${reg.url}/index/config.json`)).json()).toEqual({ dl: `${reg.url}/dl/{crate}/{version}`, api: reg.url });
    const user = writeScratchCrate(join(work, 'dl-template'), { name: 'ct-dl-user', version: '0.1.0', deps: ['ct-base = "1"'] });
    const fetched = await run('cargo', ['fetch', '-v'], { cwd: user, env: cargo.env, timeoutMs: 120_000 });
    expect(fetched.stderr).toMatch(/Downloaded ct-base v1\.0\.0/);
  });

  it('keeps everything across a restart (new port, same directory)', async () => {
    const token = reg.token;
    await reg.stop();
    reg = await startLocalRegistry({ dir: regDir, rateLimit: { scale: 0.01 } });
    expect(reg.token).toBe(token);
    writeCargoConfig(reg, { cargoHome: cargo.cargoHome });
    const fresh = writeScratchCrate(join(work, 'after-restart'), { name: 'ct-late-user', version: '0.1.0', deps: ['ct-base = "1.0.0"'] });
    writeFileSync(join(fresh, 'src', 'lib.rs'), 'pub use ct_base::name;\n');
    await run('cargo', ['fetch'], { cwd: fresh, env: cargo.env, timeoutMs: 120_000 });
    expect(readFileSync(join(fresh, 'Cargo.lock'), 'utf8')).toContain('name = "ct-base"\nversion = "1.0.0"');
    expect(reg.versions('ct-user').map((v) => v.vers)).toEqual(['0.1.0']);
  });
});
