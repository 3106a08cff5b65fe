import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { ensurePluginBuilt } from './plugin-build';

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`installPlugin: ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function ensureGitignore(wsDir: string, entries: string[]): void {
  const file = join(wsDir, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set(text.split('\n').map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')));
  const missing = entries.filter((e) => !have.has(e.replace(/^\//, '')));
  if (missing.length === 0) return;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  writeFileSync(file, text + sep + missing.map((m) => m + '\n').join(''));
}

/**
 * Makes `wsDir` an Nx workspace that uses the BUILT plugin, as after
 * `npm install -D nx crate-train`: package.json, nx.json with the plugin entry,
 * node_modules/ of symlinks to this repo's node_modules plus crate-train -> the
 * built package, and `node_modules`/`.nx` in .gitignore. Touches no git state:
 * call it before initRepoWithOrigin() so the initial commit has these files.
 */
export async function installPlugin(wsDir: string, pluginOptions?: object): Promise<void> {
  const pluginDir = await ensurePluginBuilt();
  const pluginVersion = String(readJson(join(pluginDir, 'package.json')).version);
  const nxVersion = String(readJson(join(REPO_ROOT, 'node_modules', 'nx', 'package.json')).version);

  // No `scripts`/`nx` keys: the root package.json must not become an Nx project
  // of its own (the root crate is the project at `.`).
  const pkgFile = join(wsDir, 'package.json');
  const pkg = existsSync(pkgFile) ? readJson(pkgFile) : { name: 'cargo-workspace', private: true };
  pkg.devDependencies = { ...(pkg.devDependencies as object | undefined), nx: nxVersion, 'crate-train': pluginVersion };
  writeJson(pkgFile, pkg);

  const nxFile = join(wsDir, 'nx.json');
  const nxJson = existsSync(nxFile) ? readJson(nxFile) : { $schema: './node_modules/nx/schemas/nx-schema.json' };
  const others = ((nxJson.plugins as unknown[] | undefined) ?? []).filter((p) => p !== 'crate-train' && (p as { plugin?: string })?.plugin !== 'crate-train');
  nxJson.plugins = [...others, pluginOptions ? { plugin: 'crate-train', options: pluginOptions } : 'crate-train'];
  writeJson(nxFile, nxJson);

  const nm = join(wsDir, 'node_modules');
  mkdirSync(nm, { recursive: true });
  for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    // `.cache` and friends stay per workspace; `.bin` is shared.
    if ((name.startsWith('.') && name !== '.bin') || name === 'crate-train') continue;
    if (!existsSync(join(nm, name))) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(nm, name), 'dir');
  }
  if (!existsSync(join(nm, 'crate-train'))) symlinkSync(pluginDir, join(nm, 'crate-train'), 'dir');

  ensureGitignore(wsDir, ['node_modules', '.nx']);
}
