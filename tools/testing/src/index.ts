// The shared harness of crate-train's end-to-end tests: real temp dirs, real
// git repos with a bare origin, the built plugin installed into a workspace,
// real nx and cargo.
export { REPO_ROOT, SAMPLE_DIR } from './paths';
export { makeTempDir, removeTempDirs, tempDirs } from './temp-dirs';
export { copySample, SAMPLE_CRATES } from './sample';
export { git, commitAll, initRepoWithOrigin, GIT_ENV } from './git';
export { ensurePluginBuilt } from './plugin-build';
export { installPlugin } from './install-plugin';
export { runNx, nxEnv, nxBin, type RunNxOptions } from './nx';
export { cargoMetadata, SHARED_CARGO_TARGET_DIR, type CargoMetadata, type CargoPackage, type CargoDependency } from './cargo-metadata';
export { setupSampleRepo } from './setup';
export { executorContext, captureOutput, withEnv, runWithEnv } from './executor';
export { sampleTree, generateOnDisk } from './tree';
export {
  WASMTIME_CASES_DIR,
  WASM_TOOLS_CASES_DIR,
  loadReleaseCases,
  listFiles,
  compareFile,
  lockMembers,
  compareLockMembers,
  compareWithAfter,
  matchesAfter,
  formatComparison,
  type ReleaseCase,
  type ReleaseCaseKind,
  type FileComparison,
  type TreeComparison,
} from './release-cases';
