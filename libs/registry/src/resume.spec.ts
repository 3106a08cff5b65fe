// A publish run SIGKILLed in the middle (its cargo children left running, as when a CI
// job is cancelled), then run again: it waits for the leftover cargo, finishes the
// release, and no version reaches the registry twice.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { writeScratchCrate } from '@crate-train/local-registry/testing';
import { makeTempDir, REPO_ROOT, removeTempDirs } from '@crate-train/testing';
import { InflightJournal } from './journal';
import { planWorkspace } from './index';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

interface DriverRun {
  code: number | null;
  out: string;
}

function driver(fx: RegistryFixture, root: string, onLine?: (line: string) => void): Promise<DriverRun> {
  const args = [
    'tools/build/run-ts.mjs',
    'libs/registry/src/testing/publish-driver.ts',
    '--root',
    root,
    '--registry',
    'local',
    '--poll-ms',
    '50',
    '--concurrency',
    '2',
    '--print-pid',
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: fx.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine?.(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('publish killed mid-run, then re-run', () => {
  it('completes with every version uploaded exactly once', async () => {
    // A slow index keeps the orphaned cargo alive (in its own wait) past the re-run's start.
    const fx = await registryFixture({ indexDelayMs: 2500, rateLimit: false });
    try {
      const root = publishableSample();
      const plan = planWorkspace(root);
      let pid = 0;
      let uploaded = 0;
      let killedAt = '';
      const first = await driver(fx, root, (line) => {
        const m = /^pid (\d+)$/.exec(line);
        if (m) pid = Number(m[1]);
        if (/^\[\d+\/\d+\] uploaded/.test(line)) uploaded++;
        if (!killedAt && uploaded >= 3 && /-> \S+ \S+: (cargo publish|upload)/.test(line)) {
          killedAt = line;
          process.kill(pid, 'SIGKILL');
        }
      });
      expect(killedAt).not.toBe('');
      expect(first.code).not.toBe(0);
      expect(first.out).not.toMatch(/uploaded, \d+ already published/); // no summary: it died
      const mid = fx.registry.uploads().size;
      expect(mid).toBeGreaterThanOrEqual(3);
      expect(mid).toBeLessThan(plan.crates.length);

      const second = await driver(fx, root);
      expect(second.code).toBe(0);
      // (Whether the killed run's cargo outlived it depends on cargo hitting the closed
      // pipe first; the journal test below covers a cargo that does.)
      const already = Number(/registry has (\d+) of \d+ versions already/.exec(second.out)?.[1]);
      expect(already).toBeGreaterThanOrEqual(mid);
      for (const c of plan.crates) {
        expect([c.name, fx.registry.uploadAttempts().get(`${c.name}@${c.version}`)]).toEqual([c.name, 1]);
      }
      expect(fx.registry.uploads().size).toBe(plan.crates.length);
    } finally {
      await fx.stop();
    }
  });
});

describe('in-flight journal', () => {
  it('sees a cargo publish still running from an earlier run and waits for it to end', async () => {
    // Every registry request hangs: this cargo publish stays alive until its timeouts.
    const fx = await registryFixture({ rateLimit: false, faults: { rate: 1, kinds: ['hang'], hangMs: 60_000 } });
    try {
      const crate = writeScratchCrate(makeTempDir('journal'), { name: 'journal-a', version: '0.1.0' });
      const cargo = spawn('cargo', ['publish', '--registry', 'local', '--no-verify', '--config', 'http.timeout=2', '--config', 'net.retry=0'], {
        cwd: crate,
        env: fx.env,
        stdio: 'ignore',
      });
      const journal = new InflightJournal(join(makeTempDir('journal-state'), 'inflight'));
      journal.add('journal-a@0.1.0', cargo.pid!);
      journal.add('gone@1.0.0', 999_999_999);
      expect(journal.leftovers()).toEqual([{ key: 'journal-a@0.1.0', pid: cargo.pid }]);
      const seen: string[] = [];
      const t0 = Date.now();
      const left = await journal.waitForLeftovers(30_000, (l) => seen.push(...l.map((x) => x.key)));
      expect(left).toEqual([]);
      expect(seen).toEqual(['journal-a@0.1.0']);
      // The journal saw the process end; Node may not have handled its exit event yet (a reaped zombie), so give it a moment.
      const exited =
        cargo.exitCode !== null ||
        cargo.signalCode !== null ||
        (await Promise.race([once(cargo, 'exit').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]));
      expect(exited).toBe(true);
      expect(Date.now() - t0).toBeGreaterThan(500);
      expect(journal.leftovers()).toEqual([]);
    } finally {
      await fx.stop();
    }
  });
});
