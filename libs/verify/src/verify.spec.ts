import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { copySample, SHARED_CARGO_TARGET_DIR, tempDirs } from '@crate-train/testing';
import { WASMTIME_VERSION_FILES } from '@crate-train/versions';
import { checkCrateRules } from './rules';
import { formatVerifyReport, verifyWorkspace } from './verify';
import { writeTxtar } from './txtar';

const [WASMTIME_H] = WASMTIME_VERSION_FILES;
const tmp = tempDirs();
afterAll(() => tmp.cleanup());

/** The sample's manifests name README files (readme = "README.md") that only the root has; cargo package needs them. */
function addMissingReadmes(dir: string): string[] {
  const added: string[] = [];
  for (const c of readWorkspace(dir).crates) {
    const m = /^readme = "(.+)"$/m.exec(readFileSync(join(dir, c.manifestPath), 'utf8'));
    const p = m && join(dir, c.root, m[1]!);
    if (p && !existsSync(p)) {
      writeFileSync(p, `# ${c.name}\n`);
      added.push(c.name);
    }
  }
  return added;
}

describe('verifyWorkspace', () => {
  it('the sample: rules, C header and cargo package of every published crate pass', async () => {
    const dir = copySample(tmp.make('verify-sample'));
    addMissingReadmes(dir);
    const report = await verifyWorkspace(dir, { versionFiles: [WASMTIME_H] });
    expect(report.errors).toEqual([]);
    expect(report.crates.map((c) => `${c.name} ${c.version} ${c.package}`)).toEqual([
      'pulley-interpreter 5.0.0 ok',
      'cranelift-entity 0.92.0 ok',
      'cranelift-codegen-meta 0.92.0 ok',
      'cranelift-codegen 0.92.0 ok',
      'wasmtime-environ 5.0.0 ok',
      'wasmtime-fiber 5.0.0 ok',
      'winch-codegen 0.3.0 ok',
      'wasmtime 5.0.0 ok',
      'wasmtime-wasi 5.0.0 ok',
      'wasmtime-cli-flags 5.0.0 ok',
      'wasmtime-cli 5.0.0 ok',
    ]);
    const text = formatVerifyReport(report, 'Wasmtime');
    expect(text).toContain('verify: Wasmtime 5.0.0, 11 published crates (CRATES_TO_PUBLISH order)\n');
    expect(text).toContain('\n  crate                   version  public  manifest                           cargo package\n');
    expect(text).toContain('\n  cranelift-codegen       0.92.0   no      cranelift/codegen/Cargo.toml       ok\n');
    expect(text).toContain('\n  wasmtime-cli            5.0.0    yes     Cargo.toml                         ok\n');
    expect(text).toContain('packaging: cargo package --offline --no-verify, against a local directory registry\n');
    expect(text).toContain('version file crates/c-api/include/wasmtime.h: ok (5.0.0)\n');
    expect(text).toContain('verify: ok — the tree is publishable\n');
    // Deterministic: a second run prints the same report.
    expect(formatVerifyReport(await verifyWorkspace(dir, { versionFiles: [WASMTIME_H] }), 'Wasmtime')).toBe(text);
  });

  it('--build compiles each packaged crate', async () => {
    const dir = copySample(tmp.make('verify-build'));
    addMissingReadmes(dir);
    const report = await verifyWorkspace(dir, { build: true, targetDir: join(SHARED_CARGO_TARGET_DIR, 'verify'), versionFiles: [] });
    expect(report.errors).toEqual([]);
    expect(formatVerifyReport(report)).toContain('packaging: cargo package --offline (each crate compiled from its .crate)');
  });

  it('lists every error: a cargo package failure, the crates it blocks, the C header, a rule', async () => {
    const dir = copySample(tmp.make('verify-errors'));
    addMissingReadmes(dir);
    // wasmtime's readme goes missing again: cargo refuses to package it.
    const wasmtimeToml = join(dir, 'crates/wasmtime/Cargo.toml');
    writeFileSync(wasmtimeToml, readFileSync(wasmtimeToml, 'utf8').replace('readme = "README.md"', 'readme = "MISSING.md"'));
    const header = join(dir, WASMTIME_H.path);
    writeFileSync(header, readFileSync(header, 'utf8').replace('#define WASMTIME_VERSION_MINOR 0', '#define WASMTIME_VERSION_MINOR 1'));
    const environ = join(dir, 'crates/environ/Cargo.toml');
    writeFileSync(environ, readFileSync(environ, 'utf8').replace('version  = "=0.92.0"', 'version  = "0.92.0"'));

    const report = await verifyWorkspace(dir, { versionFiles: [WASMTIME_H] });
    expect(report.ok).toBe(false);
    expect(report.crates.map((c) => `${c.name} ${c.package}`)).toEqual([
      'pulley-interpreter ok',
      'cranelift-entity ok',
      'cranelift-codegen-meta ok',
      'cranelift-codegen ok',
      'wasmtime-environ ok',
      'wasmtime-fiber ok',
      'winch-codegen ok',
      'wasmtime failed',
      'wasmtime-wasi skipped',
      'wasmtime-cli-flags skipped',
      'wasmtime-cli skipped',
    ]);
    expect(report.errors[0]).toBe(
      'crates/environ/Cargo.toml:12: wasmtime-environ depends on cranelift-entity with "0.92.0", but cranelift-entity is not in PUBLIC_CRATES, so the requirement must be exact (internal crates may break their API in any release) — write "=0.92.0"',
    );
    // The missing readme is named by the rule (before cargo runs), and cargo's own error follows.
    expect(report.errors[1]).toBe(
      'crates/wasmtime/Cargo.toml:9: published crate wasmtime names readme "MISSING.md" (crates/wasmtime/MISSING.md), which does not exist, so cargo package fails — add the file, fix the path, or remove the readme line (cargo then uses a README.md, README.txt or README it finds)',
    );
    expect(report.errors[2]).toBe(
      'crates/c-api/include/wasmtime.h:24: minor is "1" but the workspace version is 5.0.0 (expected "0"): run `nx run release:bump` or fix the line by hand',
    );
    expect(report.errors[3]).toMatch(
      /^cargo package of wasmtime 5\.0\.0 \(crates\/wasmtime\/Cargo\.toml\) failed:\n {6}error: readme `MISSING\.md` does not appear to exist/,
    );
    expect(report.errors).toHaveLength(4);
    const text = formatVerifyReport(report, 'Wasmtime');
    expect(text).toContain('verify: 4 error(s):\n  - crates/environ/Cargo.toml:12:');
    expect(text).toContain('\n  wasmtime-wasi           5.0.0    yes     crates/wasi/Cargo.toml             skipped\n');
  });

  it('the synthetic workspace passes the rules and packages', async () => {
    const dir = join(tmp.make('verify-synth'), 'ws');
    generateSyntheticWorkspace(dir, { crates: 25, seed: 3 });
    expect(checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs' })).toEqual([]);
    const report = await verifyWorkspace(dir, { versionFiles: [] });
    expect(report.errors).toEqual([]);
    expect(report.crates.every((c) => c.package === 'ok')).toBe(true);
  });

  it('the base rules fixture packages too', async () => {
    const dir = tmp.make('verify-base');
    writeTxtar(dir, join(__dirname, '..', 'fixtures', 'rules', 'base.txtar'));
    const report = await verifyWorkspace(dir);
    expect(report.errors).toEqual([]);
    expect(formatVerifyReport(report)).toContain('version files: none configured\n');
  });

  it('never modifies the tree: a Cargo.lock that cargo package rewrites is put back byte for byte, and the report says it is stale', async () => {
    const dir = copySample(tmp.make('verify-lock'));
    const lock = join(dir, 'Cargo.lock');
    // Out of date with the manifests: cargo package rewrites it.
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('name = "wasmtime-fiber"\nversion = "5.0.0"', 'name = "wasmtime-fiber"\nversion = "4.0.0"'));
    const before = readFileSync(lock);
    const report = await verifyWorkspace(dir, { versionFiles: [WASMTIME_H] });
    expect(report.errors).toEqual([]);
    expect(report.packaging?.lockfile).toBe('updated');
    expect(readFileSync(lock).equals(before)).toBe(true);
    expect(formatVerifyReport(report)).toContain(
      '\nCargo.lock: out of date with the manifests (cargo package updated it; verify put the file back unchanged) — run `cargo update --workspace --offline` and commit it\n',
    );
    // An up-to-date lock: nothing to say.
    const fresh = copySample(tmp.make('verify-lock-fresh'));
    const freshBefore = readFileSync(join(fresh, 'Cargo.lock'));
    const ok = await verifyWorkspace(fresh, { versionFiles: [] });
    expect(ok.packaging?.lockfile).toBe('unchanged');
    expect(readFileSync(join(fresh, 'Cargo.lock')).equals(freshBefore)).toBe(true);
    expect(formatVerifyReport(ok)).not.toContain('Cargo.lock:');
  });

  it("a .crate over crates.io's 10 MiB limit is an error naming the crate, its size and how to shrink it (its dependents are still packaged)", async () => {
    const dir = tmp.make('verify-size');
    writeTxtar(dir, join(__dirname, '..', 'fixtures', 'rules', 'base.txtar'));
    // Incompressible data, so the gzipped .crate stays over the limit.
    writeFileSync(join(dir, 'crates/api/blob.bin'), randomBytes(10 * 1024 * 1024 + 64 * 1024));
    const report = await verifyWorkspace(dir);
    expect(report.crates.map((c) => `${c.name} ${c.package}`)).toEqual(['ex-core ok', 'ex-api too-large', 'ex-cli ok']);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(
      /^crates\/api\/Cargo\.toml: ex-api 1\.0\.0 is too large to publish: its \.crate is 10\.\d MiB \(\d+ bytes\), over the registry's upload limit of 10\.0 MiB \(crates\.io\), so the upload is refused — leave files out with exclude = \[\.\.\.\] \(or list what goes in with include = \[\.\.\.\]\) in \[package\] of crates\/api\/Cargo\.toml; `cargo package --list -p ex-api` shows what is packaged$/,
    );
    expect(formatVerifyReport(report)).toContain('\n  ex-api   1.0.0    yes     crates/api/Cargo.toml   too-large\n');
  });

  it('--skip-package checks the manifests only: a missing readme is left to packaging (as release steps leave it)', async () => {
    const dir = copySample(tmp.make('verify-skip'));
    const wasmtimeToml = join(dir, 'crates/wasmtime/Cargo.toml');
    writeFileSync(wasmtimeToml, readFileSync(wasmtimeToml, 'utf8').replace('readme = "README.md"', 'readme = "MISSING.md"'));
    const skipped = await verifyWorkspace(dir, { versionFiles: [], package: false });
    expect(skipped.errors).toEqual([]);
    expect(formatVerifyReport(skipped)).toContain(
      'packaging: skipped (--skip-package)\n           (readme and license-file existence and the .crate size limit not checked)\n',
    );
    expect((await verifyWorkspace(dir, { versionFiles: [] })).errors[0]).toMatch(
      /^crates\/wasmtime\/Cargo\.toml:9: published crate wasmtime names readme "MISSING\.md"/,
    );
  });

  it('a root version that is not semver is one rule error; the version files are not compared with it', async () => {
    const dir = copySample(tmp.make('verify-five'));
    const root = join(dir, 'Cargo.toml');
    writeFileSync(root, readFileSync(root, 'utf8').replace(/^version = "5\.0\.0"$/m, 'version = "five"'));
    const report = await verifyWorkspace(dir, { versionFiles: [WASMTIME_H], package: false });
    expect(report.errors[0]).toMatch(
      /^Cargo\.toml:\d+: \[workspace\.package\] version \(inherited by .*wasmtime-cli.*\) "five" is not a semantic version .* — write a version of the form MAJOR\.MINOR\.PATCH, e\.g\. version = "1\.0\.0"$/,
    );
    expect(report.errors).toHaveLength(1);
    expect(formatVerifyReport(report)).toContain(
      'version file crates/c-api/include/wasmtime.h: not checked (the root version "five" is not a semantic version)\n',
    );
  });
});
