// The in-flight journal: one file per running `cargo publish` holding its pid. When
// a publish run is killed (SIGKILL, a cancelled CI job), its cargo children can live
// on and finish their upload after a re-run has already asked the registry what is
// published — and the re-run would send the same version again. So a run first waits
// for any cargo left over from an earlier run, then asks the registry.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LeftoverUpload {
  key: string;
  pid: number;
}

export class InflightJournal {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return join(this.dir, `${key.replace(/[^A-Za-z0-9@._-]/g, '_')}.pid`);
  }

  add(key: string, pid: number): void {
    writeFileSync(this.file(key), `${pid}\n${key}\n`);
  }

  remove(key: string): void {
    rmSync(this.file(key), { force: true });
  }

  /** Entries left by an earlier run whose cargo is still alive (stale entries are removed). */
  leftovers(): LeftoverUpload[] {
    if (!existsSync(this.dir)) return [];
    const out: LeftoverUpload[] = [];
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.pid')) continue;
      const [pidText, key] = readFileSync(join(this.dir, f), 'utf8').split('\n');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && isCargoAlive(pid)) out.push({ key: key || f.replace(/\.pid$/, ''), pid });
      else rmSync(join(this.dir, f), { force: true });
    }
    return out;
  }

  /** Waits until every leftover cargo has exited (or `timeoutMs` passed); returns those still alive. */
  async waitForLeftovers(timeoutMs: number, onWait?: (l: LeftoverUpload[]) => void): Promise<LeftoverUpload[]> {
    let left = this.leftovers();
    if (left.length > 0) onWait?.(left);
    const until = Date.now() + timeoutMs;
    while (left.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      left = left.filter((l) => isCargoAlive(l.pid));
    }
    for (const l of this.leftovers()) if (!left.some((x) => x.pid === l.pid)) this.remove(l.key);
    return left;
  }
}

/** True when `pid` is alive and is a cargo process (a reused pid of something else does not count). */
export function isCargoAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (/\bcargo\b/.test(cmd) && cmd.includes('publish')) return true;
    return false;
  } catch {
    // No /proc (macOS): trust the pid.
    return true;
  }
}
