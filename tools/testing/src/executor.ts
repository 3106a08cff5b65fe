import type { ExecutorContext } from '@nx/devkit';

/** The ExecutorContext Nx hands an executor of the `release` project, for in-process executor tests. */
export function executorContext(root: string, targetName: string, projectName = 'release'): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName,
    projectsConfigurations: { version: 2, projects: { [projectName]: { root: '.' } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

/** Runs an executor with stdout and console.error captured; returns its result with what it printed. */
export async function captureOutput<T extends object>(fn: () => Promise<T>): Promise<T & { out: string; err: string }> {
  let out = '';
  let err = '';
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  try {
    return { ...(await fn()), out, err };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}
