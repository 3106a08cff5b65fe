// Shared set-up of the registry's end-to-end tests (not exported by the library):
// a publishable copy of the sample workspace, a local registry and a cargo home
// pointing at it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { startLocalRegistry, writeCargoConfig, type LocalRegistry, type LocalRegistryOptions, type CargoHomeSetup } from '@crate-train/local-registry';
import { copySample, makeTempDir } from '@crate-train/testing';

/**
 * The sample workspace, copied, with a README next to every manifest that names one
 * (cargo refuses to package a crate whose `readme` file is missing).
 */
export function publishableSample(dest?: string): string {
  const dir = copySample(dest);
  addMissingReadmes(dir);
  return dir;
}

export function addMissingReadmes(dir: string): void {
  for (const c of readWorkspace(dir).crates) {
    const text = readFileSync(join(dir, c.manifestPath), 'utf8');
    const m = /^readme\s*=\s*"([^"]+)"/m.exec(text);
    const file = join(dir, c.root, m ? m[1] : 'README.md');
    if (m && !existsSync(file)) writeFileSync(file, `# ${c.name}\n`);
  }
}

export interface RegistryFixture {
  registry: LocalRegistry;
  cargo: CargoHomeSetup;
  /** process.env plus CARGO_HOME and the registry token. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function registryFixture(opts: LocalRegistryOptions = {}, cargoExtra?: string): Promise<RegistryFixture> {
  const registry = await startLocalRegistry({ dir: makeTempDir('registry'), ...opts });
  const cargo = writeCargoConfig(registry, { cargoHome: makeTempDir('cargo-home'), extra: cargoExtra });
  return {
    registry,
    cargo,
    env: { ...process.env, ...cargo.env, CARGO_NET_OFFLINE: 'false' },
    stop: () => registry.stop(),
  };
}
