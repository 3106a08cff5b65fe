import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { planWorkspace } from './plan';
import { excludedManifest, libRs, mainRs, memberManifest, publishRs, RELEASES_TEMPLATE, releasesMd, rootManifest, type RenderContext } from './render';
import type { SyntheticInfo, SyntheticOptions } from './types';

function checkOptions(opts: SyntheticOptions): void {
  if (!Number.isInteger(opts.crates) || opts.crates < 1) {
    throw new Error(`generateSyntheticWorkspace: crates must be an integer >= 1 (got ${opts.crates})`);
  }
  if (opts.layers !== undefined && (!Number.isInteger(opts.layers) || opts.layers < 1)) {
    throw new Error(`generateSyntheticWorkspace: layers must be an integer >= 1 (got ${opts.layers})`);
  }
  if (opts.name !== undefined && !/^[a-z][a-z0-9]*$/.test(opts.name)) {
    throw new Error(`generateSyntheticWorkspace: name must match [a-z][a-z0-9]* (got "${opts.name}")`);
  }
}

/**
 * Writes a synthetic Wasmtime-shaped Cargo workspace of `opts.crates` crates
 * (plus the root package) into `dir`, which must be missing or empty. The
 * files are built in a sibling folder and moved into place at the end, so a
 * failure leaves nothing half-written. Deterministic for a given seed.
 */
export function generateSyntheticWorkspace(dir: string, opts: SyntheticOptions): SyntheticInfo {
  checkOptions(opts);
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`generateSyntheticWorkspace: ${target} is not empty; pass a new or empty folder`);
  }
  const prefix = opts.name ?? 'synth';
  const plan = planWorkspace(opts.crates, opts.layers, opts.seed ?? 1, prefix);
  const [root] = plan.crates;
  const byName = new Map(plan.crates.map((c) => [c.name, c]));
  const publishOrder = plan.crates
    .filter((c) => c.publish)
    .sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name))
    .map((c) => c.name);
  const excludedDir = `crates/${prefix}-fuzz`;
  const ctx: RenderContext = { plan, prefix, byName, publishOrder, excludedDir };
  const edgesFrom = new Map<string, typeof plan.edges>();
  for (const e of plan.edges) {
    if (!edgesFrom.has(e.from)) edgesFrom.set(e.from, []);
    edgesFrom.get(e.from)!.push(e);
  }

  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const write = (rel: string, text: string) => {
    const file = join(partial, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  try {
    write('Cargo.toml', rootManifest(ctx, root, edgesFrom.get(root.name) ?? []));
    write('src/main.rs', mainRs(prefix));
    write('.gitignore', '/target\n');
    write('scripts/publish.rs', publishRs(ctx));
    write('RELEASES.md', releasesMd(plan.workspaceVersion));
    write('ci/RELEASES-template.md', RELEASES_TEMPLATE);
    write(`${excludedDir}/Cargo.toml`, excludedManifest(prefix));
    write(`${excludedDir}/src/lib.rs`, '//! Fuzz targets (excluded from the workspace).\n');
    for (const c of plan.crates.slice(1)) {
      write(`${c.dir}/Cargo.toml`, memberManifest(ctx, c, edgesFrom.get(c.name) ?? []));
      write(`${c.dir}/src/lib.rs`, libRs(c));
    }
    if (opts.lockfile) {
      try {
        execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: partial, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const stderr = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim();
        throw new Error(`generateSyntheticWorkspace: \`cargo generate-lockfile --offline\` failed:\n${stderr}`);
      }
    }
    if (existsSync(target)) rmdirSync(target);
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }

  const layers = Array.from({ length: plan.layerCount + 1 }, (_, k) => plan.crates.filter((c) => c.layer === k).map((c) => c.name));
  return {
    dir: target,
    rootCrate: root.name,
    crates: plan.crates,
    names: plan.crates.map((c) => c.name),
    edges: plan.edges,
    publishOrder,
    publicCrates: publishOrder.filter((n) => byName.get(n)!.public),
    layers,
    workspaceVersion: plan.workspaceVersion,
    zeroLineVersion: plan.zeroLineVersion,
    excluded: [excludedDir],
  };
}
