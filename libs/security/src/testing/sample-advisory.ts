// A deterministic sample advisory (fixed clock, id and GHSA) shared by the
// golden-file test and anyone who wants to see the generator's output.
import { parseReleaseBranch } from '@crate-train/git';
import { evaluateSupport, parseAffected, type ReleaseBranchState } from '@crate-train/support-policy';
import { CrateVersionAtRef } from '../crates-at-ref';
import { AdvisoryPlan, buildAdvisoryPlan } from '../plan';
import { RenderContext } from '../render';

const crates = (ws: string, cl: string): CrateVersionAtRef[] => [
  { name: 'wasmtime', version: ws, manifestPath: 'crates/wasmtime/Cargo.toml', publish: true },
  { name: 'wasmtime-wasi', version: ws, manifestPath: 'crates/wasi/Cargo.toml', publish: true },
  { name: 'cranelift-codegen', version: cl, manifestPath: 'cranelift/codegen/Cargo.toml', publish: true },
  { name: 'wasmtime-fuzzing', version: '0.0.0', manifestPath: 'crates/fuzzing/Cargo.toml', publish: false },
];

const branch = (name: string, version: string, releaseDate: string | null, dateSource?: 'releases-md' | 'tag'): ReleaseBranchState => ({
  ...parseReleaseBranch(name)!,
  version,
  releaseDate,
  ...(dateSource ? { dateSource } : {}),
});

export const SAMPLE_BRANCHES: ReleaseBranchState[] = [
  branch('release-24.0.0', '24.0.2', '2024-08-20', 'releases-md'),
  branch('release-35.0.0', '35.0.0', '2025-07-20', 'releases-md'),
  branch('release-36.0.0', '36.0.1', '2025-08-20', 'tag'),
  branch('release-37.0.0', '37.0.0', '2025-09-22', 'releases-md'),
  branch('release-38.0.0', '38.0.0-rc.1', null),
];

const RULE = '-'.repeat(80);

export function sampleContext(): RenderContext {
  const table = evaluateSupport(SAMPLE_BRANCHES, { today: '2025-10-15', affected: parseAffected('auto') });
  const plan: AdvisoryPlan = buildAdvisoryPlan({
    id: 'GHSA-9p4w-852m-cvvp',
    ghsa: 'GHSA-9p4w-852m-cvvp',
    summary: 'Out-of-bounds write in the table.grow libcall on x86_64',
    severity: 'high',
    today: '2025-10-15',
    releaseDay: '2025-10-21',
    repository: 'example/wasmtime',
    projectName: 'Wasmtime',
    table,
    publishedCrates: ['cranelift-codegen', 'wasmtime', 'wasmtime-wasi', 'wasmtime-cli'],
    cratesByBranch: {
      'release-24.0.0': crates('24.0.2', '0.111.2'),
      'release-36.0.0': crates('36.0.1', '0.122.1'),
      'release-37.0.0': crates('37.0.0', '0.123.0'),
    },
  });
  return {
    plan,
    releasesByBranch: {
      'release-24.0.0': `${RULE}\n\n## 24.0.2\n\nReleased 2024-12-02.\n\n### Fixed\n\n* A fix.\n\n${RULE}\n\n## 24.0.0\n\nReleased 2024-08-20.\n`,
      // This branch already collects notes for its next patch release.
      'release-36.0.0': `${RULE}\n\n## 36.0.2\n\nUnreleased.\n\n### Fixed\n\n* An earlier backported fix.\n  [#11500](https://github.com/example/wasmtime/pull/11500)\n\n${RULE}\n\n## 36.0.1\n\nReleased 2025-09-01.\n`,
      'release-37.0.0': null,
    },
    template: `${RULE}\n\n## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n`,
    settings: { releaseProject: 'release', remote: 'origin', releasesFile: 'RELEASES.md', workBranchPrefix: 'ci/', testTarget: 'test' },
  };
}
