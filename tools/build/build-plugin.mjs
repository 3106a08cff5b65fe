// Builds packages/crate-train into dist/packages/crate-train: an installable npm
// package. Every entry point (the plugin, each executor, each generator) is
// bundled with the libs/ code it imports; npm dependencies stay external.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginSourceHash } from './source-hash.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgDir = join(root, 'packages', 'crate-train');
const out = join(root, 'dist', 'packages', 'crate-train');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const srcFiles = walk(join(pkgDir, 'src'));
const entryPoints = srcFiles.filter(
  (f) =>
    f === join(pkgDir, 'src', 'index.ts') ||
    // `crate-train/version-actions` (package.json exports), what nx release loads.
    f === join(pkgDir, 'src', 'version-actions', 'index.ts') ||
    /[/\\](executors|generators)[/\\][^/\\]+[/\\](executor|generator)\.ts$/.test(f),
);
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

await build({
  entryPoints,
  outbase: pkgDir,
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), 'nx', '@nx/*'],
  tsconfig: join(root, 'tsconfig.base.json'),
});

// Non-code files the package needs at run time: manifests, schemas, templates.
for (const f of srcFiles) {
  if (f.endsWith('.ts')) continue;
  const dest = join(out, relative(pkgDir, f));
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(f, dest);
}
for (const f of ['executors.json', 'generators.json', 'README.md']) {
  if (existsSync(join(pkgDir, f))) cpSync(join(pkgDir, f), join(out, f));
}
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
// Type declarations for the plugin entry point, so `import ... from 'crate-train'` type-checks.
writeFileSync(
  join(out, 'src', 'index.d.ts'),
  "import type { CreateNodesV2, CreateDependencies } from '@nx/devkit';\n" +
    'export declare const createNodesV2: CreateNodesV2<Record<string, unknown>>;\n' +
    'export declare const createNodes: CreateNodesV2<Record<string, unknown>>;\n' +
    'export declare const createDependencies: CreateDependencies<Record<string, unknown>>;\n',
);
writeFileSync(
  join(out, 'src', 'version-actions', 'index.d.ts'),
  "import type { AfterAllProjectsVersioned, VersionActions } from 'nx/release';\n" +
    'export declare const CargoVersionActions: new (...args: ConstructorParameters<typeof VersionActions>) => VersionActions;\n' +
    'export default CargoVersionActions;\n' +
    'export declare const afterAllProjectsVersioned: AfterAllProjectsVersioned;\n',
);
// Tests compare it with the current sources instead of building again.
writeFileSync(join(out, '.source-hash'), pluginSourceHash(root) + '\n');
console.log(`built ${relative(root, out)} (${entryPoints.length} entry points)`);
