// A real Ctrl-C in the middle of a release: SIGINT to the whole process group of a
// publishing process (as a terminal sends it) while cargo is uploading. No new upload
// starts, the one in flight finishes (cargo runs in its own process group, so the
// terminal's signal does not cut it off mid-upload), the summary names what was
// uploaded and says to re-run, and the re-run completes with no version sent twice.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, removeTempDirs } from '@crate-train/testing';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

let driverBundle: string;
afterAll(() => {
  rmSync(driverBundle, { force: true });
  removeTempDirs();
});
beforeAll(async () => {
  // Bundled and run with node itself (not through run-ts.mjs, whose own process would
  // take the group's SIGINT too); inside the repository, so npm packages resolve.
  const dir = join(REPO_ROOT, 'dist', '.run');
  mkdirSync(dir, { recursive: true });
  driverBundle = join(dir, `signal-driver-${process.pid}.cjs`);
  await build({
    entryPoints: [join(__dirname, 'testing', 'signal-driver.ts')],
    outfile: driverBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    tsconfig: join(REPO_ROOT, 'tsconfig.base.json'),
  });
});

interface DriverRun {
  code: number | null;
  out: string;
}

function driver(fx: RegistryFixture, root: string, uploader: string, onLine?: (line: string, pid: number) => void): Promise<DriverRun> {
  const args = [driverBundle, '--root', root, '--registry', 'local', '--concurrency', '2', '--uploader', uploader];
  // Its own process group, like a shell job: a signal to -pid reaches every process in it.
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: fx.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine?.(buf.slice(0, nl), child.pid!);
      buf = buf.slice(nl + 1);
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('publish interrupted by Ctrl-C (--uploader=cargo)', () => {
  it('stops starting uploads, finishes the one in flight, names what was uploaded and says re-run; the re-run resumes', async () => {
    // A slow index keeps later crates waiting, so most are not started at the signal.
    const fx = await registryFixture({ indexDelayMs: 1000, rateLimit: false });
    try {
      const root = publishableSample();
      let uploadedLines = 0;
      let cutOff = '';
      const first = await driver(fx, root, 'cargo', (line, pid) => {
        if (/^\[\d+\/\d+\] uploaded/.test(line)) uploadedLines++;
        // cargo is sending a crate: Ctrl-C, to the whole group.
        const m = /^ {4}\[(\S+)\] +Uploading /.exec(line);
        if (m && !cutOff && uploadedLines >= 1) {
          cutOff = m[1];
          process.kill(-pid, 'SIGINT');
        }
      });
      if (!cutOff) throw new Error(`no cargo upload seen:\n${first.out}`);
      expect(first.code).toBe(130);
      expect(first.out).toMatch(new RegExp(`^interrupted \\(SIGINT\\): no new uploads start; waiting for [^\\n]*\\b${cutOff}\\b[^\\n]* in flight$`, 'm'));
      expect(first.out).toContain('interrupted (SIGINT): no upload started after that; the uploads in flight finished');
      expect(first.out).toContain('re-run to resume: versions already on the registry are skipped');
      const uploaded = /^uploaded in this run: (.*)$/m.exec(first.out)![1].split(', ');
      // The crate cargo was sending when the signal came was uploaded, not cut off.
      expect(uploaded).toContain(cutOff);
      expect(/^not started: (.*)$/m.exec(first.out)![1].split(', ').length).toBeGreaterThan(0);
      // The registry agrees with the summary.
      expect([...fx.registry.uploads().keys()].map((k) => k.split('@')[0]).sort()).toEqual([...uploaded].sort());

      const second = await driver(fx, root, 'cargo');
      expect(second.code).toBe(0);
      expect(second.out).toContain(`registry has ${uploaded.length} of 11 versions already; ${11 - uploaded.length} to upload`);
      expect(fx.registry.uploads().size).toBe(11);
      for (const [key, n] of fx.registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
    } finally {
      await fx.stop();
    }
  });
});

describe('publish interrupted by Ctrl-C (direct uploads)', () => {
  it('stops starting uploads, says what was uploaded and to re-run; the re-run resumes with nothing sent twice', async () => {
    const fx = await registryFixture({ indexDelayMs: 1000, rateLimit: false });
    try {
      const root = publishableSample();
      let signalled = false;
      const first = await driver(fx, root, 'direct', (line, pid) => {
        // An upload is one request (a few ms): Ctrl-C once the first is in.
        if (!signalled && /^\[\d+\/\d+\] uploaded/.test(line)) {
          signalled = true;
          process.kill(-pid, 'SIGINT');
        }
      });
      if (!signalled) throw new Error(`no upload seen:\n${first.out}`);
      expect(first.code).toBe(130);
      expect(first.out).toMatch(/^interrupted \(SIGINT\): no new uploads start/m);
      expect(first.out).toContain('re-run to resume: versions already on the registry are skipped');
      const uploaded = /^uploaded in this run: (.*)$/m.exec(first.out)![1].split(', ');
      expect(/^not started: (.*)$/m.exec(first.out)![1].split(', ').length).toBeGreaterThan(0);
      expect([...fx.registry.uploads().keys()].map((k) => k.split('@')[0]).sort()).toEqual([...uploaded].sort());

      const second = await driver(fx, root, 'direct');
      expect(second.code).toBe(0);
      expect(second.out).toContain(`registry has ${uploaded.length} of 11 versions already; ${11 - uploaded.length} to upload`);
      expect(fx.registry.uploads().size).toBe(11);
      for (const [key, n] of fx.registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
    } finally {
      await fx.stop();
    }
  });
});
