import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, type ExecutorContext, type NxJsonConfiguration } from '@nx/devkit';

/**
 * The ExecutorContext Nx hands an executor of the `release` project, for
 * in-process executor tests. Like Nx, it carries the workspace's nx.json
 * (parsed as Nx parses it, comments allowed), read when the executor asks, so
 * a test may write nx.json after making the context.
 */
export function executorContext(root: string, targetName?: string, projectName = 'release', projectRoot = '.'): ExecutorContext {
  const context = {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName,
    projectsConfigurations: { version: 2, projects: { [projectName]: { root: projectRoot } } },
    projectGraph: { nodes: {}, dependencies: {} },
  } as unknown as ExecutorContext;
  Object.defineProperty(context, 'nxJsonConfiguration', {
    enumerable: true,
    get: (): NxJsonConfiguration => {
      const file = join(root, 'nx.json');
      return existsSync(file) ? readJsonFile<NxJsonConfiguration>(file) : {};
    },
  });
  return context;
}

/**
 * Runs an executor and captures what it prints (the executors' one output:
 * lines on stdout and stderr, see executors/shared/output.ts); returns its
 * result with `out` (stdout) and `err` (stderr).
 */
export async function captureOutput<T extends object>(fn: () => Promise<T>): Promise<T & { out: string; err: string }> {
  let out = '';
  let err = '';
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { ...(await fn()), out, err };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

/** Runs fn with these environment variables set (undefined: unset), then restores them. */
export async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs an executor with these environment variables set (withEnv), capturing what it prints (captureOutput). */
export function runWithEnv<T extends object>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T & { out: string; err: string }> {
  return withEnv(env, () => captureOutput(fn));
}
