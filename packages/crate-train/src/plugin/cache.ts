// Content-hash cache of the crate graph, like @nx/gradle's targets cache: the
// key hashes every manifest's bytes, the crate list, the options and the files
// whose existence shapes a project (src/main.rs, and src/lib.rs next to it).
// The computed graph is kept in memory for the life of the plugin worker or
// daemon (in the workspace's WorkspaceGraphs); the compact crate model is
// persisted in one file under Nx's cache directory, so a new nx process skips
// the TOML parsing.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { missingCrateList, unreadableCrateList } from '@crate-train/crate-list';
import type { CrateGraph, CrateModel } from './graph';
import type { CrateTrainOptions } from './options';

/** Bump when CrateModel or the inference changes, so old disk caches are ignored. */
export const CACHE_FORMAT = 'crate-train-graph-v2';
const MEMORY_ENTRIES = 4;

export interface GraphSnapshot {
  key: string;
  /** Manifest bytes by Nx-root-relative path (decoded only on a miss). */
  manifests: Map<string, Buffer>;
  crateListSource: string | undefined;
  /** Why there is no source: the crate list is missing, a directory or unreadable (names the file and the crateList option). */
  crateListProblem?: string;
  /** Existence of `<dir>/src/main.rs` and `<dir>/src/lib.rs` probed for the key. */
  probes: Map<string, boolean>;
}

interface FileMemo {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  ino: number;
  bytes: Buffer;
}

/**
 * Manifest bytes remembered by stat: within one process (plugin worker, daemon),
 * a manifest whose stat is unchanged is not read again. The key is still made of
 * the bytes; a new ManifestFiles (a new process) reads every file.
 */
export class ManifestFiles {
  private readonly memo = new Map<string, FileMemo>();

  read(abs: string): Buffer {
    const known = this.memo.get(abs);
    if (known) {
      const st = statSync(abs);
      if (known.mtimeMs === st.mtimeMs && known.ctimeMs === st.ctimeMs && known.size === st.size && known.ino === st.ino) return known.bytes;
    }
    // open + fstat + read + close: the stat for the memo comes with the read.
    const fd = openSync(abs, 'r');
    try {
      const st = fstatSync(fd);
      const bytes = Buffer.allocUnsafe(st.size);
      let off = 0;
      while (off < st.size) {
        const n = readSync(fd, bytes, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      const exact = off === st.size ? bytes : bytes.subarray(0, off);
      this.memo.set(abs, { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, size: st.size, ino: st.ino, bytes: exact });
      return exact;
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads every manifest (unless unchanged since the last call) and the crate list, and hashes them with the options. */
export function snapshot(workspaceRoot: string, manifestFiles: readonly string[], options: CrateTrainOptions, files: ManifestFiles): GraphSnapshot {
  const sorted = [...manifestFiles].sort();
  const hash = createHash('sha1');
  hash.update(CACHE_FORMAT);
  hash.update(JSON.stringify(options));
  const { source: crateListSource, problem: crateListProblem } = options.crateList === false ? {} : readCrateListSource(workspaceRoot, options.crateList);
  hash.update(crateListSource === undefined ? `\0no-crate-list\0${crateListProblem}` : `\0list\0${crateListSource}`);
  const manifests = new Map<string, Buffer>();
  const probes = new Map<string, boolean>();
  const root = workspaceRoot.endsWith('/') ? workspaceRoot : workspaceRoot + '/';
  for (const file of sorted) {
    const bytes = files.read(root + file);
    manifests.set(file, bytes);
    // A crate is an application when it has a binary and no library: src/main.rs decides,
    // and only when it exists does src/lib.rs matter.
    const prefix = file.length > 10 ? file.slice(0, -10) : '';
    const main = existsSync(root + prefix + 'src/main.rs');
    probes.set(prefix + 'src/main.rs', main);
    let flags = main ? 'm' : '-';
    if (main) {
      const lib = existsSync(root + prefix + 'src/lib.rs');
      probes.set(prefix + 'src/lib.rs', lib);
      flags += lib ? 'l' : '-';
    }
    hash.update(`\0${file}\0${flags}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return { key: hash.digest('hex'), manifests, crateListSource, ...(crateListProblem ? { crateListProblem } : {}), probes };
}

/**
 * The crate list's text, or why there is none. Never throws: a missing, directory or
 * unreadable list still gives a graph (crates, and a `release` project whose
 * targets report the problem), never a raw ENOENT/EISDIR/EACCES.
 */
export function readCrateListSource(workspaceRoot: string, rel: string): { source?: string; problem?: string } {
  const abs = join(workspaceRoot, rel);
  try {
    if (statSync(abs).isDirectory()) return { problem: unreadableCrateList(rel, { code: 'EISDIR' }).message };
    return { source: readFileSync(abs, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: (code === 'ENOENT' || code === 'ENOTDIR' ? missingCrateList(rel) : unreadableCrateList(rel, e)).message };
  }
}

interface DiskCache {
  format: string;
  key: string;
  model: CrateModel;
}

interface Entry {
  model: CrateModel;
  graph?: CrateGraph;
}

/** Memory + disk cache of crate models and graphs of one Nx workspace; `file` holds the latest model (none: memory only). */
export class GraphCache {
  private readonly memory = new Map<string, Entry>();
  private diskChecked = false;

  constructor(private readonly file: string | undefined) {}

  get(key: string): Entry | undefined {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key); // refresh recency
      this.memory.set(key, hit);
      return hit;
    }
    if (!this.diskChecked && this.file) {
      this.diskChecked = true;
      const disk = readDisk(this.file);
      if (disk && disk.key === key) return this.remember(key, { model: disk.model });
    }
    return undefined;
  }

  /** Stores a freshly computed model (memory and disk). */
  setModel(key: string, model: CrateModel): Entry {
    this.diskChecked = true;
    if (this.file) writeDisk(this.file, { format: CACHE_FORMAT, key, model });
    return this.remember(key, { model });
  }

  private remember(key: string, entry: Entry): Entry {
    this.memory.set(key, entry);
    while (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
    return entry;
  }
}

function readDisk(file: string): DiskCache | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as DiskCache;
    return data.format === CACHE_FORMAT ? data : undefined;
  } catch {
    return undefined; // missing or unreadable: recompute
  }
}

function writeDisk(file: string, data: DiskCache): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
