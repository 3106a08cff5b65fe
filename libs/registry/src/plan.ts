// The publish plan: which crates, in what order, and who must be in the index before
// whom. The order comes from the crate graph as cargo sees it at publish time: normal
// and build dependencies, and dev-dependencies only when they carry a version (cargo
// strips path-only dev-dependencies from the published manifest). It is checked
// against CRATES_TO_PUBLISH, the hand-sorted list Wasmtime keeps.
import type { CargoWorkspace, CrateInfo } from '@crate-train/cargo';

export interface PlanCrate {
  name: string;
  version: string;
  /** Folder relative to the workspace root. */
  root: string;
  /** Crates of the plan that must be visible in the index before this one uploads. */
  deps: string[];
  /** Crates of the plan that wait on this one. */
  dependents: string[];
  /** 0 for crates without dependencies in the plan; 1 + the highest wave of its deps otherwise. */
  wave: number;
  /** Length of the longest chain of dependents below this crate (critical path); scheduled first. */
  chain: number;
  /** Position in CRATES_TO_PUBLISH (or in the workspace when there is no list). */
  listIndex: number;
}

export interface PublishPlan {
  /** In a valid publish order (dependencies first). */
  crates: PlanCrate[];
  waves: string[][];
  /** Disagreements with CRATES_TO_PUBLISH that do not stop publishing. */
  warnings: string[];
}

export class PublishPlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot plan the publish:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PublishPlanError';
  }
}

export interface PlanOptions {
  /** CRATES_TO_PUBLISH; when given, it must agree with the workspace. */
  cratesToPublish?: string[];
  /** Path of the list, for messages. */
  listFile?: string;
  /**
   * Crates the list governs (publish.rs's find_crates folders); undefined = all.
   * Others are never published, and being unlisted is fine for them.
   */
  governed?: ReadonlySet<string>;
}

/** Builds the publish plan, or throws PublishPlanError listing every problem. */
export function planPublish(ws: CargoWorkspace, opts: PlanOptions = {}): PublishPlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const listFile = opts.listFile ?? 'scripts/publish.rs';
  const byName = new Map(ws.crates.map((c) => [c.name, c]));
  const byRoot = new Map(ws.crates.map((c) => [c.root, c]));

  let selected: CrateInfo[];
  const list = opts.cratesToPublish;
  const governed = (name: string) => !opts.governed || opts.governed.has(name);
  if (list) {
    // Like publish.rs: stale names and crates outside its folders are skipped (warnings), not refused.
    const seen = new Set<string>();
    for (const n of list) {
      if (seen.has(n)) warnings.push(`${listFile}: CRATES_TO_PUBLISH lists \`${n}\` twice`);
      seen.add(n);
      const c = byName.get(n);
      if (!c) warnings.push(`${listFile}: CRATES_TO_PUBLISH lists \`${n}\`, which is not a crate of the workspace: skipped — remove it or fix the name`);
      else if (!governed(n)) warnings.push(`${c.manifestPath}: \`${n}\` is in CRATES_TO_PUBLISH but outside the folders the crate list walks: not published`);
      else if (!c.publish)
        warnings.push(`${listFile}: CRATES_TO_PUBLISH lists \`${n}\`, but ${c.manifestPath} has \`publish = false\`: not published — remove one of the two`);
    }
    for (const c of ws.crates) {
      if (c.publish && !seen.has(c.name) && governed(c.name)) {
        problems.push(
          `${c.manifestPath}: crate \`${c.name}\` is publishable but not in CRATES_TO_PUBLISH (${listFile}) — add it to the list or set \`publish = false\``,
        );
      }
    }
    selected = [...seen].map((n) => byName.get(n)).filter((c): c is CrateInfo => !!c && c.publish && governed(c.name));
  } else {
    selected = ws.crates.filter((c) => c.publish);
  }
  const inPlan = new Set(selected.map((c) => c.name));

  // Publish-time edges.
  const deps = new Map<string, Set<string>>(selected.map((c) => [c.name, new Set<string>()]));
  for (const c of selected) {
    for (const d of c.dependencies) {
      if (d.path === undefined) continue;
      const target = byRoot.get(d.path);
      if (!target || target.name === c.name) continue;
      const needed = d.kind !== 'dev' || d.req !== undefined;
      if (!needed) continue;
      const what = `${c.manifestPath}: ${d.kind === 'normal' ? '' : `${d.kind}-`}dependency \`${d.alias}\` on \`${target.name}\``;
      if (d.req === undefined) {
        problems.push(`${what} has no version; cargo publish needs \`version = "${target.version}"\` next to the path`);
        continue;
      }
      if (!target.publish) {
        problems.push(
          `${what}: \`${target.name}\` has \`publish = false\`, so \`${c.name}\` cannot be published (make it a path-only dev-dependency, or publish \`${target.name}\`)`,
        );
        continue;
      }
      if (!inPlan.has(target.name) && !governed(target.name)) {
        warnings.push(
          `${what}: \`${target.name}\` is outside the folders the crate list walks, so it is not published here: its version ${target.version} must already be on the registry`,
        );
        continue;
      }
      if (!inPlan.has(target.name)) {
        problems.push(`${what}: \`${target.name}\` is not in CRATES_TO_PUBLISH, so it would never reach the registry`);
        continue;
      }
      deps.get(c.name)!.add(target.name);
    }
  }

  // Kahn's algorithm, keeping list order among crates that are ready together.
  const listIndex = new Map(selected.map((c, i) => [c.name, i]));
  const remaining = new Map([...deps].map(([n, s]) => [n, new Set(s)]));
  const order: string[] = [];
  const wave = new Map<string, number>();
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, s]) => s.size === 0).map(([n]) => n);
    if (ready.length === 0) {
      problems.push(
        `dependency cycle among published crates: ${describeCycle(remaining)} — cargo cannot publish a cycle; make one edge a path-only dev-dependency`,
      );
      break;
    }
    ready.sort((a, b) => listIndex.get(a)! - listIndex.get(b)!);
    for (const n of ready) {
      wave.set(n, Math.max(-1, ...[...deps.get(n)!].map((d) => wave.get(d)!)) + 1);
      order.push(n);
      remaining.delete(n);
    }
    for (const s of remaining.values()) for (const n of ready) s.delete(n);
  }
  if (problems.length > 0) throw new PublishPlanError(problems);

  if (list) {
    const pos = new Map(list.map((n, i) => [n, i]));
    for (const [n, s] of deps) {
      for (const d of s) {
        if (pos.get(d)! > pos.get(n)!) {
          warnings.push(
            `${listFile}: CRATES_TO_PUBLISH lists \`${n}\` before its dependency \`${d}\` (crate-train publishes in dependency order; a list-order publisher would fail here)`,
          );
        }
      }
    }
  }

  const dependents = new Map<string, string[]>(order.map((n) => [n, []]));
  for (const [n, s] of deps) for (const d of s) dependents.get(d)!.push(n);
  const chain = new Map<string, number>();
  for (const n of [...order].reverse()) {
    chain.set(n, Math.max(0, ...dependents.get(n)!.map((x) => chain.get(x)! + 1)));
  }

  const crates: PlanCrate[] = order.map((n) => {
    const c = byName.get(n)!;
    return {
      name: n,
      version: c.version,
      root: c.root,
      deps: [...deps.get(n)!].sort((a, b) => listIndex.get(a)! - listIndex.get(b)!),
      dependents: dependents.get(n)!.sort((a, b) => listIndex.get(a)! - listIndex.get(b)!),
      wave: wave.get(n)!,
      chain: chain.get(n)!,
      listIndex: listIndex.get(n)!,
    };
  });
  const waves: string[][] = [];
  for (const c of crates) (waves[c.wave] ??= []).push(c.name);
  return { crates, waves, warnings };
}

function describeCycle(remaining: Map<string, Set<string>>): string {
  // Walk dependencies from any remaining crate until a name repeats.
  const start = [...remaining.keys()][0];
  const path: string[] = [];
  let cur: string | undefined = start;
  while (cur && !path.includes(cur)) {
    path.push(cur);
    cur = [...(remaining.get(cur) ?? [])][0];
  }
  if (!cur) return [...remaining.keys()].join(', ');
  const cycle = path.slice(path.indexOf(cur));
  return [...cycle, cur].join(' -> ');
}
