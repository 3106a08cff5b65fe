// The embedded default the demo runs on: the sample Cargo workspace as an Nx
// workspace with the BUILT plugin, a bare git origin, the local crate
// registry and the GitHub API stand-in — everything under one directory
// (tmp/demo by default) except the shared cargo target dir.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copySample, ensurePluginBuilt, git, initRepoWithOrigin, installPlugin, SHARED_CARGO_TARGET_DIR } from '@crate-train/testing';
import { startLocalRegistry, writeCargoConfig, type LocalRegistry } from '@crate-train/local-registry';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { createGitHub, type GitHub } from '@crate-train/github';

export const DEMO_REPOSITORY = 'demo/wasmtime';
export const REGISTRY_NAME = 'local';

export interface EnvironmentOptions {
  /** The demo directory; wiped first. */
  dir: string;
  /** How long a new version takes to show in the registry's index. */
  indexDelayMs: number;
  /** crates.io's publish limits multiplied by this (0.001: a new crate every 0.6 s after a burst of 5). */
  rateLimitScale: number;
  cargoTargetDir?: string;
}

export interface DemoEnvironment {
  dir: string;
  /** The maintainer's clone: the sample workspace with nx.json, on main. */
  workspace: string;
  /** The bare repository playing GitHub's copy of demo/wasmtime. */
  origin: string;
  pluginDir: string;
  pluginOptions: object;
  registry: LocalRegistry;
  standIn: StandIn;
  /** A client of the stand-in, as the maintainer merging PRs in the web UI. */
  github: GitHub;
  /** Environment of every nx call: GITHUB_TOKEN, CARGO_HOME, the registry token, CARGO_TARGET_DIR. */
  env: Record<string, string>;
  /** The tokens, for redaction. */
  secrets: string[];
  rateLimitScale: number;
  stop(): Promise<void>;
}

export async function setUpEnvironment(opts: EnvironmentOptions): Promise<DemoEnvironment> {
  const dir = opts.dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const pluginDir = await ensurePluginBuilt();
  const stops: Array<() => Promise<void>> = [];
  try {
    const registry = await startLocalRegistry({
      dir: join(dir, 'registry'),
      indexDelayMs: opts.indexDelayMs,
      rateLimit: { scale: opts.rateLimitScale },
    });
    stops.push(() => registry.stop());
    const cargo = writeCargoConfig(registry, { cargoHome: join(dir, 'cargo-home'), registryName: REGISTRY_NAME });

    const token = `ghp_demo${randomBytes(16).toString('hex')}`;
    const standIn = await startGitHubStandIn({ repos: {}, token });
    stops.push(() => standIn.stop());

    const workspace = copySample(join(dir, 'wasmtime'));
    const pluginOptions = { github: { repository: DEMO_REPOSITORY, baseUrl: standIn.url }, registry: REGISTRY_NAME };
    await installPlugin(workspace, pluginOptions);
    const first = await initRepoWithOrigin(workspace);
    // Move the origin next to the workspace, so everything the demo made is in one place.
    const origin = join(dir, 'origin.git');
    await git(dir, 'clone', '-q', '--bare', first.origin, origin);
    await git(workspace, 'remote', 'set-url', 'origin', origin);
    await git(workspace, 'fetch', '-q', 'origin');
    rmSync(first.origin, { recursive: true, force: true });
    standIn.addRepo(DEMO_REPOSITORY, origin);

    const github = await createGitHub({ repository: DEMO_REPOSITORY, token, baseUrl: standIn.url });
    const cargoTargetDir = opts.cargoTargetDir ?? SHARED_CARGO_TARGET_DIR;
    if (!existsSync(cargoTargetDir)) mkdirSync(cargoTargetDir, { recursive: true });
    return {
      dir,
      workspace,
      origin,
      pluginDir,
      pluginOptions,
      registry,
      standIn,
      github,
      env: { GITHUB_TOKEN: token, ...cargo.env, CARGO_TARGET_DIR: cargoTargetDir },
      secrets: [token, registry.token],
      rateLimitScale: opts.rateLimitScale,
      stop: () => stopAll(stops),
    };
  } catch (e) {
    await stopAll(stops);
    throw e;
  }
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
}
