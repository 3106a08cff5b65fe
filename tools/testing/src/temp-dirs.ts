import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/** A new empty directory `$TMPDIR/crate-train-<prefix>-XXXXXX`, removed by removeTempDirs(). */
export function makeTempDir(prefix: string): string {
  const clean = prefix.replace(/^crate-train-?/, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'tmp';
  const dir = mkdtempSync(join(tmpdir(), `crate-train-${clean}-`));
  created.add(dir);
  return dir;
}

/** Removes every directory made by makeTempDir() in this process (call it in afterAll). */
export function removeTempDirs(): void {
  for (const dir of created) {
    rmSync(dir, { recursive: true, force: true });
    created.delete(dir);
  }
}

/** A scoped set of temp dirs: `const tmp = tempDirs(); afterAll(tmp.cleanup); tmp.make('x')`. */
export function tempDirs(): { make(prefix: string): string; cleanup(): void } {
  const mine = new Set<string>();
  return {
    make(prefix: string): string {
      const dir = makeTempDir(prefix);
      mine.add(dir);
      return dir;
    },
    cleanup(): void {
      for (const dir of mine) {
        rmSync(dir, { recursive: true, force: true });
        created.delete(dir);
      }
      mine.clear();
    },
  };
}
