// The hash of everything build-plugin.mjs reads: the plugin package (no specs, no
// test code), the libs it bundles, the build script and the shared tsconfig. The
// build writes it into the package (`.source-hash`) so a test can tell whether
// dist/packages/crate-train is the build of the current sources.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const isTestCode = (f) => /\.(spec|test)\.ts$/.test(f) || /jest[^/\\]*\.cjs$/.test(f) || /[/\\]src[/\\]testing[/\\]/.test(f);

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p);
    return isTestCode(p) ? [] : [p];
  });
}

export function pluginSourceHash(root) {
  const libs = join(root, 'libs');
  const files = [
    ...walk(join(root, 'packages', 'crate-train')),
    ...(existsSync(libs) ? readdirSync(libs).flatMap((l) => walk(join(libs, l, 'src'))) : []),
    join(root, 'tools', 'build', 'build-plugin.mjs'),
    join(root, 'tools', 'build', 'source-hash.mjs'),
    join(root, 'tsconfig.base.json'),
  ].sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}
