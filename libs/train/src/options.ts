import { WASMTIME_VERSION_FILES, type BumpSettings } from '@crate-train/versions';

/**
 * What the train needs from the crate-train plugin options. The plugin's
 * CrateTrainOptions is a superset, so it can be passed as is.
 */
export interface TrainOptions extends Required<Pick<BumpSettings, 'versionFiles'>>, Pick<BumpSettings, 'crateList' | 'crateRoots' | 'publicCrates'> {
  /** Name in commit messages and PR titles (`Bump Wasmtime to 6.0.0`). */
  projectName: string;
  mainBranch: string;
  /** Release branches: `<branchPrefix>X.Y.Z`. */
  branchPrefix: string;
  /** Work branches for PRs: `<workBranchPrefix>bump-to-X.Y.Z` etc. */
  workBranchPrefix: string;
  /** Text in a commit message that makes the tag step tag and release it. */
  marker: string;
  remote: string;
  releasesFile: string;
  releasesTemplate: string;
  /** 'auto': archive when RELEASES.md has a `<!-- ARCHIVE_START -->` line, else history. */
  releasesStyle: 'auto' | 'history' | 'archive';
  /**
   * 'classic': main carries X.0.0; 'dev-rc': main carries X.0.0-dev and a cut starts X.0.0-rc.1 on the branch;
   * 'auto': dev-rc when the root version carries `-dev`, else classic.
   */
  versionModel: 'auto' | 'classic' | 'dev-rc';
  /** Refuse a patch release whose RELEASES.md has no section for it (Wasmtime's bot does not). */
  requireNotes: boolean;
  github: { repository?: string; baseUrl?: string; tagVia: 'api' | 'git' };
  committer: { name: string; email: string };
  /**
   * Commands run (`sh -c`) in the bumped tree after every bump (cut, patch, rc, drop-rc, security
   * release); the files they change join the bump commit (Wasmtime: `cargo vet`).
   */
  afterBump: string[];
}

/** Wasmtime's values (the same defaults as the plugin options). */
export const TRAIN_DEFAULTS: TrainOptions = {
  projectName: 'Wasmtime',
  mainBranch: 'main',
  branchPrefix: 'release-',
  workBranchPrefix: 'ci/',
  marker: '[automatically-tag-and-release-this-commit]',
  remote: 'origin',
  releasesFile: 'RELEASES.md',
  releasesTemplate: 'ci/RELEASES-template.md',
  releasesStyle: 'auto',
  versionModel: 'auto',
  requireNotes: false,
  versionFiles: WASMTIME_VERSION_FILES,
  github: { tagVia: 'api' },
  committer: { name: 'crate-train', email: 'crate-train@users.noreply.github.com' },
  afterBump: [],
};

/** Fills in defaults (nested objects one level deep). */
export function trainOptions(o: Partial<TrainOptions> = {}): TrainOptions {
  return {
    ...TRAIN_DEFAULTS,
    ...o,
    github: { ...TRAIN_DEFAULTS.github, ...(o.github ?? {}) },
    committer: { ...TRAIN_DEFAULTS.committer, ...(o.committer ?? {}) },
  };
}

/** The version model in force for a root version (resolves 'auto'). */
export function versionModelFor(o: Pick<TrainOptions, 'versionModel'>, rootVersion: string): 'classic' | 'dev-rc' {
  if (o.versionModel !== 'auto') return o.versionModel;
  return /-dev(?:[.+]|$)/.test(rootVersion) ? 'dev-rc' : 'classic';
}

/** X.Y.Z of a version without its pre-release part (6.0.0-dev -> 6.0.0). */
export function coreVersion(v: string): string {
  return v.replace(/[-+].*$/, '');
}
