import { run } from '@crate-train/proc';

export interface CrateTargets {
  name: string;
  version: string;
  manifestPath: string;
  /** File stem of the library target (`wasmtime_wasi`), or undefined for a bin-only crate. */
  libName?: string;
}

const LIB_KINDS = new Set(['lib', 'rlib', 'dylib', 'cdylib', 'staticlib', 'proc-macro']);

/** The workspace's packages and their library targets, from `cargo metadata --no-deps`. */
export async function workspacePackages(treeDir: string, offline: boolean): Promise<Map<string, CrateTargets>> {
  const args = ['metadata', '--no-deps', '--format-version', '1', ...(offline ? ['--offline'] : [])];
  const { stdout } = await run('cargo', args, { cwd: treeDir });
  const meta = JSON.parse(stdout) as {
    packages: Array<{ name: string; version: string; manifest_path: string; targets: Array<{ name: string; kind: string[] }> }>;
  };
  const out = new Map<string, CrateTargets>();
  for (const p of meta.packages) {
    const lib = p.targets.find((t) => t.kind.some((k) => LIB_KINDS.has(k)));
    out.set(p.name, { name: p.name, version: p.version, manifestPath: p.manifest_path, libName: lib?.name.replace(/-/g, '_') });
  }
  return out;
}
