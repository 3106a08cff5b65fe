// Decides the shape of a synthetic workspace (crates, layers, edges) without
// touching the disk, so the returned info is exactly what gets rendered.
import { Prng } from './prng';
import type { DepForm, SyntheticCrate, SyntheticEdge } from './types';

export interface Plan {
  crates: SyntheticCrate[]; // root first
  edges: SyntheticEdge[];
  layerCount: number;
  workspaceVersion: string;
  zeroLineVersion: string;
}

export const WORKSPACE_VERSION = '12.0.0';
export const ZERO_LINE_VERSION = '0.89.0';

const NORMAL_FORMS: ReadonlyArray<readonly [DepForm, number]> = [
  ['inline', 25],
  ['workspace', 25],
  ['workspace-features', 10],
  ['dotted', 15],
  ['renamed-inline', 8],
  ['renamed-workspace', 7],
  ['table', 10],
];
// Target-specific and build dependencies: the forms that fit on one line.
const LINE_FORMS = NORMAL_FORMS.filter(([f]) => f !== 'table');

export function renameFor(form: DepForm, to: string): string | null {
  if (form === 'renamed-inline') return `${to.replace(/-/g, '_')}_dep`;
  if (form === 'renamed-workspace') return `alias-${to}`;
  return null;
}

export function planWorkspace(n: number, layersOpt: number | undefined, seed: number, prefix: string): Plan {
  const rng = new Prng(seed);
  const layerCount = Math.max(1, Math.min(n, layersOpt ?? Math.min(10, Math.ceil(Math.log2(n + 1)))));

  const members: SyntheticCrate[] = [];
  for (let i = 0; i < n; i++) {
    const zero = rng.chance(0.3);
    const name = zero ? `${prefix}lift-${String(i).padStart(4, '0')}` : `${prefix}-${String(i).padStart(4, '0')}`;
    members.push({
      name,
      dir: `${zero ? 'lift' : 'crates'}/${name}`,
      version: zero ? ZERO_LINE_VERSION : WORKSPACE_VERSION,
      layer: Math.floor((i * layerCount) / n),
      publish: true,
      public: false,
      line: zero ? 'zero' : 'major',
    });
  }
  // A few unpublished crates (test utilities); at least one once there are 10.
  const unpublishedCount = n >= 10 ? Math.max(1, Math.round(n * 0.04)) : 0;
  for (const c of shuffle(rng, members).slice(0, unpublishedCount)) c.publish = false;
  // Public crates: ~8% of the published ones on the major line, like wasmtime/wasmtime-wasi.
  for (const c of members) c.public = c.publish && c.line === 'major' && rng.chance(0.08);

  const root: SyntheticCrate = {
    name: `${prefix}-cli`,
    dir: '.',
    version: WORKSPACE_VERSION,
    layer: layerCount,
    publish: true,
    public: true,
    line: 'major',
  };
  const byLayer: SyntheticCrate[][] = Array.from({ length: layerCount + 1 }, () => []);
  for (const c of members) byLayer[c.layer].push(c);
  byLayer[layerCount].push(root);

  const edges: SyntheticEdge[] = [];
  const depsOf = new Map<string, Set<string>>();
  const add = (e: SyntheticEdge) => {
    edges.push(e);
    if (!depsOf.has(e.from)) depsOf.set(e.from, new Set());
    depsOf.get(e.from)!.add(e.to);
  };

  for (const c of [...members, root]) {
    if (c.layer === 0) continue;
    // A published crate may only need published crates to build.
    const ok = (d: SyntheticCrate) => d.publish || !c.publish;
    const below = byLayer.slice(0, c.layer).flat().filter(ok);
    const previous = byLayer[c.layer - 1].filter(ok);
    if (below.length === 0) continue;
    const wanted = Math.min(rng.int(1, 4), below.length);
    const chosen = new Set<SyntheticCrate>();
    // One from the layer right below keeps the depth equal to `layers`.
    if (previous.length > 0) chosen.add(rng.pick(previous));
    while (chosen.size < wanted) chosen.add(rng.pick(below));
    for (const d of chosen) {
      const kind =
        c === root
          ? 'normal'
          : rng.weighted<'normal' | 'build' | 'target'>([
              ['normal', 78],
              ['build', 10],
              ['target', 12],
            ]);
      // The root manifest's first `version = "..."` line must stay the
      // workspace version, so it only uses workspace forms.
      const form: DepForm =
        c === root ? rng.pick<DepForm>(['workspace', 'dotted', 'workspace-features']) : rng.weighted(kind === 'normal' ? NORMAL_FORMS : LINE_FORMS);
      add({
        from: c.name,
        to: d.name,
        kind: kind === 'build' ? 'build' : 'normal',
        target: kind === 'target' ? 'cfg(unix)' : null,
        rename: renameFor(form, d.name),
        form,
      });
    }
  }

  // Dev-dependencies on lower published crates, with a version (kept on publish).
  for (const c of members) {
    if (c.layer === 0 || !rng.chance(0.12)) continue;
    const candidates = byLayer
      .slice(0, c.layer)
      .flat()
      .filter((d) => d.publish && !depsOf.get(c.name)?.has(d.name));
    if (candidates.length === 0) continue;
    const d = rng.pick(candidates);
    const form = rng.pick<DepForm>(['inline', 'workspace', 'dotted']);
    add({ from: c.name, to: d.name, kind: 'dev', target: null, rename: null, form });
  }
  // Path-only dev-dependencies on unpublished test utilities, and a few
  // dev-dependency cycles (a crate's dev-dep on one of its dependents), like
  // wasmtime <-> wasmtime-test-util.
  const unpublished = members.filter((c) => !c.publish);
  const normalEdges = edges.filter((e) => e.kind !== 'dev' && e.from !== root.name);
  const cycles = Math.min(normalEdges.length, Math.max(unpublished.length, n >= 10 ? 3 : 0));
  const preferred = [
    ...shuffle(
      rng,
      normalEdges.filter((e) => unpublished.some((u) => u.name === e.from)),
    ),
    ...shuffle(rng, normalEdges),
  ];
  let made = 0;
  for (const e of preferred) {
    if (made >= cycles) break;
    if (depsOf.get(e.to)?.has(e.from)) continue;
    add({ from: e.to, to: e.from, kind: 'dev', target: null, rename: null, form: 'path-only' });
    made++;
  }
  for (const u of unpublished) {
    const users = members.filter((c) => c.layer > u.layer && c.publish && !depsOf.get(c.name)?.has(u.name));
    if (users.length === 0) continue;
    const c = rng.pick(users);
    add({ from: c.name, to: u.name, kind: 'dev', target: null, rename: null, form: 'path-only' });
  }

  return { crates: [root, ...members], edges, layerCount, workspaceVersion: WORKSPACE_VERSION, zeroLineVersion: ZERO_LINE_VERSION };
}

/** Fisher–Yates on a copy. */
function shuffle<T>(rng: Prng, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
