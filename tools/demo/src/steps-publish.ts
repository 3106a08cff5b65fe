// Step 8 (and the end of 9): CI on a vX.Y.Z tag runs `nx run release:publish`
// at the tag; the demo then asks the registry's API what it has, and runs the
// job again to show a re-run uploads nothing.
import * as semver from 'semver';
import { cargoMetadata } from '@crate-train/testing';
import type { Reporter } from './report';
import { DemoFailure } from './shell';
import type { DemoState } from './state';

function totalUploads(state: DemoState): number {
  return [...state.env.registry.uploads().values()].reduce((a, b) => a + b, 0);
}

/** The published crates (tag crate:published in the graph), in name order. */
function publishedCrates(state: DemoState): string[] {
  return (state.graph?.crates ?? []).filter((c) => c.tags.includes('crate:published')).map((c) => c.name);
}

/** Versions the registry lists for each published crate, through its HTTP API (crates.io's `GET /api/v1/crates/NAME/versions`). */
export async function readRegistry(state: DemoState): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of publishedCrates(state)) {
    const res = await fetch(`${state.env.registry.url}/api/v1/crates/${encodeURIComponent(name)}/versions`);
    if (res.status === 404) {
      out[name] = [];
      continue;
    }
    if (!res.ok) throw new DemoFailure(`GET /api/v1/crates/${name}/versions`, `the registry answered ${res.status}`);
    const body = (await res.json()) as { versions: Array<{ num: string; yanked: boolean }> };
    out[name] = body.versions
      .filter((v) => !v.yanked)
      .map((v) => v.num)
      .sort(semver.compare);
  }
  return out;
}

/** Publish at `tag` as CI would, check the registry has every crate at the tag's version, re-run. Returns one summary line. */
export async function publishTag(state: DemoState, rep: Reporter, tag: string): Promise<string> {
  state.needTarget('publish');
  const { sh, env } = state;
  await sh.quietGit('fetch', '-q', '--tags', 'origin');
  await sh.git('checkout', '-q', '--detach', tag);
  try {
    const args = ['run', 'release:publish', `--rateLimitScale=${env.rateLimitScale}`];
    const before = totalUploads(state);
    await sh.nx(args, { maxLines: 60 });
    const uploaded = totalUploads(state) - before;

    // Every published crate must now be in the registry at its version in the tag.
    const meta = await cargoMetadata(env.workspace);
    const want = new Map(meta.packages.map((p) => [p.name, p.version]));
    const have = await readRegistry(state);
    const rows: string[] = [];
    const missing: string[] = [];
    for (const [name, versions] of Object.entries(have)) {
      const v = want.get(name);
      if (!v || !versions.includes(v)) missing.push(`${name}@${v ?? '?'}`);
      rows.push(`${name.padEnd(24)} ${versions.join(', ')}`);
    }
    rep.note(`the registry's API (GET ${env.registry.url}/api/v1/crates/NAME/versions) now lists:`);
    rep.output(rows);
    if (missing.length) throw new DemoFailure(`nx ${args.join(' ')}`, `not in the registry after publishing: ${missing.join(', ')}`);
    rep.outcome(`${Object.keys(have).length} crates in the registry at their ${tag} versions (${uploaded} uploaded by this run)`);

    rep.note('the same job again, as after a failed or repeated CI run:');
    const before2 = totalUploads(state);
    await sh.nx(args, { maxLines: 20 });
    const again = totalUploads(state) - before2;
    state.rerunUploads.push(again);
    if (again !== 0) throw new DemoFailure(`nx ${args.join(' ')} (re-run)`, `the re-run uploaded ${again} crate versions again`);
    rep.outcome('the re-run uploaded nothing: every version was already in the registry');
    return `${uploaded} crate versions published at ${tag}; re-run uploaded 0`;
  } finally {
    await sh.git('checkout', '-q', 'main');
  }
}

export async function publishStep(state: DemoState, rep: Reporter, _which: 'release'): Promise<string> {
  state.needTarget('publish');
  const tag = state.needState(state.tagsMade.at(-1), 'nx run release:publish', 'needs the tag from step 7');
  rep.note(`CI checks out ${tag} and publishes (token from CARGO_REGISTRIES_LOCAL_TOKEN; crates.io's limits scaled ×${state.env.rateLimitScale}):`);
  return publishTag(state, rep, tag);
}
