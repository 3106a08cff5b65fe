import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@crate-train/proc';
import { generateSyntheticWorkspace } from '@crate-train/synthetic';
import { tempDirs } from '@crate-train/testing';
import { applyPlan, currentVersion, planBump } from './plan';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

const lockedOffline = async (dir: string) =>
  JSON.parse((await run('cargo', ['metadata', '--format-version', '1', '--locked', '--offline'], { cwd: dir })).stdout) as {
    packages: Array<{ name: string; version: string }>;
  };

describe('bump on a synthetic workspace with a lockfile', () => {
  it('major then patch: every published crate moves, cargo accepts the lock offline each time', async () => {
    const dir = join(tmp.make('bump-synth'), 'ws');
    const info = generateSyntheticWorkspace(dir, { crates: 60, seed: 7, lockfile: true });
    const start = Object.fromEntries((await lockedOffline(dir)).packages.map((p) => [p.name, p.version]));

    const major = planBump(dir, { kind: 'major' });
    expect(major.current).toBe(info.workspaceVersion);
    applyPlan(major);
    const afterMajor = Object.fromEntries((await lockedOffline(dir)).packages.map((p) => [p.name, p.version]));
    for (const c of info.crates) {
      const expected = c.publish || c.line === 'major' ? major.crates.find((b) => b.name === c.name)!.to : start[c.name];
      expect(`${c.name} ${afterMajor[c.name]}`).toBe(`${c.name} ${expected}`);
      if (c.publish && c.line === 'zero') expect(afterMajor[c.name]).toBe(`0.${Number(start[c.name]!.split('.')[1]) + 1}.0`);
      if (c.publish && c.line === 'major') expect(afterMajor[c.name]).toBe(`${Number(info.workspaceVersion.split('.')[0]) + 1}.0.0`);
    }

    const patch = planBump(dir, { kind: 'patch' });
    applyPlan(patch);
    const afterPatch = Object.fromEntries((await lockedOffline(dir)).packages.map((p) => [p.name, p.version]));
    for (const c of info.crates.filter((x) => x.publish)) {
      expect(afterPatch[c.name]).toBe(afterMajor[c.name]!.replace(/\.0$/, '.1'));
    }
    expect(currentVersion(dir)).toBe(`${Number(info.workspaceVersion.split('.')[0]) + 1}.0.1`);
    expect(readFileSync(join(dir, 'Cargo.lock'), 'utf8')).not.toContain(`version = "${info.workspaceVersion}"`);
  });
});
