// Packs the built plugin (dist/packages/crate-train) into an npm tarball that
// installs offline: its npm dependencies, with everything they need, travel
// inside it (bundleDependencies), copied from this repository's node_modules.
// Only `nx` itself (a peer dependency) must already be in the workspace.
// Usage: node tools/build/pack-plugin.mjs [OUT_DIR]  ->  OUT_DIR/crate-train-<version>.tgz (default dist/)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = join(root, 'dist', 'packages', 'crate-train');
const outDir = process.argv[2] ? realpathSync(process.argv[2]) : join(root, 'dist');
const staging = join(outDir, '.pack', 'crate-train');
const topModules = join(root, 'node_modules');

if (!existsSync(join(built, 'package.json'))) {
  console.error('pack-plugin: dist/packages/crate-train is not built; run `npx nx build crate-train` first');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8'));
const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));

/** Where Node would find `name` from the package folder `from` (walking up the node_modules folders). */
function resolveFrom(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

// The closure of the runtime dependencies, as folders of this repository's node_modules.
const seen = new Set();
const missing = [];
const todo = Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, from: root, optional: false }));
while (todo.length) {
  const { name, from, optional } = todo.pop();
  if (peers.has(name)) continue;
  const dir = resolveFrom(from, name);
  if (!dir) {
    if (!optional) missing.push(`${name} (needed by ${relative(root, from) || 'crate-train'})`);
    continue;
  }
  if (seen.has(dir)) continue;
  seen.add(dir);
  const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const d of Object.keys(p.dependencies ?? {})) todo.push({ name: d, from: dir, optional: false });
  for (const d of Object.keys(p.optionalDependencies ?? {})) todo.push({ name: d, from: dir, optional: true });
  // A peer the plugin does not provide (nx) comes from the workspace.
}
if (missing.length) {
  console.error(`pack-plugin: not in node_modules (run npm ci): ${missing.join(', ')}`);
  process.exit(1);
}

rmSync(dirname(staging), { recursive: true, force: true });
mkdirSync(dirname(staging), { recursive: true });
cpSync(built, staging, { recursive: true });
rmSync(join(staging, '.source-hash'), { force: true });
// Top-level folders are copied as they are (nested node_modules come with their parent).
const top = [...seen].filter((d) => dirname(d) === topModules || (dirname(dirname(d)) === topModules && relative(topModules, d).startsWith('@')));
const nestedOutside = [...seen].filter((d) => !d.startsWith(topModules + sep));
if (nestedOutside.length) {
  console.error(`pack-plugin: dependencies outside node_modules: ${nestedOutside.join(', ')}`);
  process.exit(1);
}
// Every package of the closure must be a top-level folder or inside one (a nested copy).
const uncovered = [...seen].filter((d) => !top.some((t) => d === t || d.startsWith(t + sep)));
if (uncovered.length) {
  console.error(`pack-plugin: nested dependencies whose parent is not bundled: ${uncovered.map((d) => relative(root, d)).join(', ')}`);
  process.exit(1);
}
for (const dir of top) cpSync(dir, join(staging, 'node_modules', relative(topModules, dir)), { recursive: true, dereference: true });
pkg.bundleDependencies = Object.keys(pkg.dependencies ?? {});
writeFileSync(join(staging, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

const out = execFileSync('npm', ['pack', staging, '--pack-destination', outDir, '--json'], { cwd: root, encoding: 'utf8' });
rmSync(dirname(staging), { recursive: true, force: true });
const [info] = JSON.parse(out);
console.log(
  `packed ${join(relative(root, outDir) || '.', info.filename)}: ${info.entryCount} files, ${(info.size / 1e6).toFixed(1)} MB (${top.length} bundled packages)`,
);
