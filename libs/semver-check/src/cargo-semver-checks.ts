// When the user has cargo-semver-checks installed we defer to it: it knows far
// more lints than our rustdoc diff. Its report is passed through as one finding.
import { run } from '@crate-train/proc';
import type { Finding } from './diff';

export async function cargoSemverChecksAvailable(): Promise<boolean> {
  const r = await run('cargo', ['semver-checks', '--version'], { reject: false }).catch(() => undefined);
  return r?.exitCode === 0;
}

export async function runCargoSemverChecks(workspaceRoot: string, crate: string, baseSha: string): Promise<Finding[]> {
  const r = await run('cargo', ['semver-checks', 'check-release', '-p', crate, '--baseline-rev', baseSha], {
    cwd: workspaceRoot,
    reject: false,
  });
  if (r.exitCode === 0) return [];
  return [
    {
      crate,
      item: crate,
      kind: 'tool-report',
      message: `cargo semver-checks exited with ${r.exitCode}:\n${[r.stdout, r.stderr].filter(Boolean).join('\n')}`,
    },
  ];
}
