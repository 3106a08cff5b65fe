// On-disk storage of the registry: one JSON file per crate (its owners and versions,
// each with its index line and publish time) and the .crate files. A version is
// committed by the atomic rename of its crate's JSON file, after the .crate file is
// in place, so a crash never leaves an index line without its download.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexEntry, PublishMetadata } from './index-format';

export interface Owner {
  login: string;
  kind: 'user' | 'team';
}

export interface StoredVersion {
  entry: IndexEntry;
  /** When it was stored (ms since epoch); it shows in the index after the propagation delay. */
  publishedAt: number;
  publishedBy: string;
  size: number;
  meta: Omit<PublishMetadata, 'deps' | 'features' | 'name' | 'vers'>;
}

export interface StoredCrate {
  name: string;
  createdAt: number;
  owners: Owner[];
  versions: StoredVersion[];
}

export class Storage {
  private readonly crates = new Map<string, StoredCrate>();

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'crates'), { recursive: true });
    mkdirSync(join(dir, 'files'), { recursive: true });
    for (const f of readdirSync(join(dir, 'crates'))) {
      if (!f.endsWith('.json')) continue;
      const c = JSON.parse(readFileSync(join(dir, 'crates', f), 'utf8')) as StoredCrate;
      this.crates.set(c.name.toLowerCase(), c);
    }
  }

  get(name: string): StoredCrate | undefined {
    return this.crates.get(name.toLowerCase());
  }

  /** A crate whose name differs only in case or `-`/`_` (crates.io refuses those). */
  findConflicting(name: string): StoredCrate | undefined {
    const canon = canonical(name);
    for (const c of this.crates.values()) if (canonical(c.name) === canon) return c;
    return undefined;
  }

  all(): StoredCrate[] {
    return [...this.crates.values()];
  }

  crateFile(name: string, vers: string): string {
    return join(this.dir, 'files', name.toLowerCase(), `${name.toLowerCase()}-${vers}.crate`);
  }

  readCrateFile(name: string, vers: string): Buffer | undefined {
    const f = this.crateFile(name, vers);
    return existsSync(f) ? readFileSync(f) : undefined;
  }

  writeCrateFile(name: string, vers: string, data: Buffer): void {
    const f = this.crateFile(name, vers);
    mkdirSync(join(this.dir, 'files', name.toLowerCase()), { recursive: true });
    writeAtomic(f, data);
  }

  /** Persists a crate (its JSON file) and makes the change visible. */
  save(c: StoredCrate): void {
    writeAtomic(join(this.dir, 'crates', `${c.name.toLowerCase()}.json`), JSON.stringify(c, null, 1));
    this.crates.set(c.name.toLowerCase(), c);
  }

  readJson<T>(file: string): T | undefined {
    const p = join(this.dir, file);
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined;
  }

  writeJson(file: string, value: unknown): void {
    writeAtomic(join(this.dir, file), JSON.stringify(value, null, 1));
  }
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

let tmpCounter = 0;
function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
