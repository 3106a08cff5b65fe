// Turns a Plan into file contents. Pure string building: no I/O, no randomness.
import { posix } from 'node:path';
import type { Plan } from './plan';
import type { SyntheticCrate, SyntheticEdge } from './types';

const RULE = '-'.repeat(80);
const LICENSE = 'Apache-2.0 WITH LLVM-exception';

export interface RenderContext {
  plan: Plan;
  prefix: string;
  byName: Map<string, SyntheticCrate>;
  publishOrder: string[];
  excludedDir: string;
}

/** `=X.Y.Z` on internal crates, plain `X.Y.Z` on public ones (Wasmtime's rule). */
export function requirement(dep: SyntheticCrate): string {
  return dep.public ? dep.version : `=${dep.version}`;
}

function relPath(from: SyntheticCrate, to: SyntheticCrate): string {
  return posix.relative(from.dir, to.dir) || '.';
}

function depLine(ctx: RenderContext, c: SyntheticCrate, e: SyntheticEdge): string {
  const d = ctx.byName.get(e.to)!;
  const where = `path = "${relPath(c, d)}", version = "${requirement(d)}"`;
  switch (e.form) {
    case 'inline':
      return `${e.to} = { ${where} }`;
    case 'workspace':
      return `${e.to} = { workspace = true }`;
    case 'workspace-features':
      return `${e.to} = { workspace = true, features = ["extra"] }`;
    case 'dotted':
      return `${e.to}.workspace = true`;
    case 'renamed-inline':
      return `${e.rename} = { package = "${e.to}", ${where} }`;
    case 'renamed-workspace':
      return `${e.rename} = { workspace = true }`;
    case 'path-only':
      return `${e.to} = { path = "${relPath(c, d)}" }`;
    case 'table':
      throw new Error('table-form dependencies are rendered as their own table');
  }
}

function section(header: string, lines: string[]): string {
  return lines.length === 0 ? '' : `\n[${header}]\n${lines.join('\n')}\n`;
}

function dependencySections(ctx: RenderContext, c: SyntheticCrate, edges: SyntheticEdge[]): string {
  const normal = edges.filter((e) => e.kind === 'normal' && e.target === null);
  let out = section(
    'dependencies',
    normal.filter((e) => e.form !== 'table').map((e) => depLine(ctx, c, e)),
  );
  for (const e of normal.filter((x) => x.form === 'table')) {
    const d = ctx.byName.get(e.to)!;
    out += `\n[dependencies.${e.to}]\npath = "${relPath(c, d)}"\nversion = "${requirement(d)}"\n`;
  }
  out += section(
    "target.'cfg(unix)'.dependencies",
    edges.filter((e) => e.kind === 'normal' && e.target !== null).map((e) => depLine(ctx, c, e)),
  );
  out += section(
    'build-dependencies',
    edges.filter((e) => e.kind === 'build').map((e) => depLine(ctx, c, e)),
  );
  const dev = edges.filter((e) => e.kind === 'dev');
  if (dev.some((e) => e.form === 'path-only')) {
    out += `\n[dev-dependencies]\n# Path-only dev-dependencies are stripped by cargo on publish.\n${dev.map((e) => depLine(ctx, c, e)).join('\n')}\n`;
  } else {
    out += section(
      'dev-dependencies',
      dev.map((e) => depLine(ctx, c, e)),
    );
  }
  return out;
}

export function memberManifest(ctx: RenderContext, c: SyntheticCrate, edges: SyntheticEdge[]): string {
  const pkg =
    c.line === 'major'
      ? `name = "${c.name}"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\n`
      : `name = "${c.name}"\nversion = "${c.version}"\nedition = "2021"\nlicense = "${LICENSE}"\n`;
  return (
    `[package]\n${pkg}description = "Synthetic crate ${c.name} (layer ${c.layer})."\n` +
    (c.publish ? '' : 'publish = false\n') +
    dependencySections(ctx, c, edges) +
    `\n[features]\ndefault = []\nextra = []\n`
  );
}

export function rootManifest(ctx: RenderContext, root: SyntheticCrate, edges: SyntheticEdge[]): string {
  const { plan, prefix } = ctx;
  const members = plan.crates.filter((c) => c !== root);
  const wsDeps = members.map((c) => `${c.name} = { path = "${c.dir}", version = "${requirement(c)}" }`);
  const aliases = plan.edges
    .filter((e) => e.form === 'renamed-workspace')
    .map((e) => ctx.byName.get(e.to)!)
    .filter((c, i, all) => all.indexOf(c) === i)
    .map((c) => `alias-${c.name} = { package = "${c.name}", path = "${c.dir}", version = "${requirement(c)}" }`);
  return (
    `[package]\nname = "${root.name}"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\n` +
    `description = "Command-line interface of the synthetic ${prefix} workspace."\n` +
    `\n[[bin]]\nname = "${prefix}"\npath = "src/main.rs"\n` +
    dependencySections(ctx, root, edges) +
    `\n[workspace]\nresolver = "2"\nmembers = [\n  "crates/*",\n  "lift/*",\n]\nexclude = [\n  "${ctx.excludedDir}",\n]\n` +
    `\n[workspace.package]\nversion = "${plan.workspaceVersion}"\nedition = "2021"\nlicense = "${LICENSE}"\n` +
    `\n[workspace.dependencies]\n${wsDeps.join('\n')}\n` +
    (aliases.length ? `# Renamed: members refer to these crates by another name.\n${aliases.join('\n')}\n` : '')
  );
}

export function publishRs(ctx: RenderContext): string {
  const layerOf = (n: string) => ctx.byName.get(n)!.layer;
  const lines: string[] = [];
  let layer = -1;
  for (const name of ctx.publishOrder) {
    if (layerOf(name) !== layer) {
      if (layer !== -1) lines.push('');
      layer = layerOf(name);
      lines.push(layer === ctx.plan.layerCount ? '    // the command-line tool' : `    // layer ${layer}`);
    }
    lines.push(`    "${name}",`);
  }
  const publicCrates = ctx.publishOrder.filter((n) => ctx.byName.get(n)!.public);
  return `//! Helper script to publish the ${ctx.prefix} suite of crates (a synthetic workspace).
//!
//! * \`./publish bump\` - bump crate versions in-tree
//! * \`./publish publish\` - actually publish crates

use std::env;

// note that this list must be topologically sorted by dependencies
const CRATES_TO_PUBLISH: &[&str] = &[
${lines.join('\n')}
];

// Anything **not** mentioned in this array is required to have an \`=a.b.c\`
// dependency requirement on it to enable breaking api changes even in "patch"
// releases.
const PUBLIC_CRATES: &[&str] = &[
    // These are actually public crates which we cannot break the API of in
    // patch releases.
${publicCrates.map((n) => `    "${n}",`).join('\n')}
];

fn main() {
    let cmd = env::args().nth(1).expect("must have one argument");
    println!(
        "{}: {} crates to publish, {} public",
        cmd,
        CRATES_TO_PUBLISH.len(),
        PUBLIC_CRATES.len()
    );
}
`;
}

export const RELEASES_TEMPLATE = `${RULE}\n\n## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n\n`;

export function releasesMd(version: string): string {
  const major = Number(version.split('.')[0]);
  return (
    `${RULE}\n\n## ${version}\n\nUnreleased.\n\n### Added\n\n* Synthetic entry for the upcoming release.\n\n### Changed\n\n` +
    `${RULE}\n\n## ${major - 1}.0.0\n\nReleased 2023-01-20.\n\n### Added\n\n* Synthetic entry of a past release.\n\n### Changed\n`
  );
}

export function libRs(c: SyntheticCrate): string {
  return `//! Synthetic crate ${c.name} (layer ${c.layer}).\n\npub fn name() -> &'static str {\n    "${c.name}"\n}\n`;
}

export function mainRs(prefix: string): string {
  return `fn main() {\n    println!("${prefix}");\n}\n`;
}

export function excludedManifest(prefix: string): string {
  return (
    `# Excluded from the workspace: its own workspace, like cargo-fuzz sets up.\n[package]\nname = "${prefix}-fuzz"\n` +
    `version = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n`
  );
}
