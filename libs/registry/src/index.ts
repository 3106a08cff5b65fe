export {
  resolveRegistry,
  ResolvedRegistry,
  RegistryConfigError,
  cargoConfigFiles,
  envKey,
  isRegistryTokenVar,
  withoutRegistryTokens,
  otherRegistryTokenVars,
  CRATES_IO_INDEX,
  CRATES_IO_NAME,
  type ResolveRegistryOptions,
} from './cargo-config';
export { SparseIndex, RegistryApi, RegistryApiError, connectRegistry, indexFilePath, type IndexLine, type ApiVersion, type ApiOwner } from './client';
export { httpRequest, RegistryHttpError, retryAfterMs, parseTryAgainAfter, backoffDelay, type HttpOptions } from './http';
export { planPublish, PublishPlanError, type PublishPlan, type PlanCrate, type PlanOptions } from './plan';
export { RateBudget, CRATES_IO_RATE_LIMITS, scaleRateLimits, type RateLimitModel, type PublishAction, type ActionRate } from './rate-budget';
export {
  cargoUploader,
  classifyCargoFailure,
  authRejection,
  resolveCargoBinary,
  type Uploader,
  type UploadOutcome,
  type UploadRequest,
  type CargoUploaderOptions,
} from './cargo-publish';
export { InflightJournal, isCargoAlive, type LeftoverUpload } from './journal';
export {
  publishPlan,
  RegistryTokenError,
  type PublishRunOptions,
  type PublishReport,
  type PublishEvent,
  type WaitKind,
  type CrateResult,
  type CrateOutcome,
} from './scheduler';
export {
  cargoPackagePreflight,
  diagnosePackageFailure,
  PublishPreflightError,
  CRATES_IO_MAX_CRATE_BYTES,
  type Preflight,
  type PreflightProblem,
  type CargoPreflightOptions,
} from './preflight';
export { abortOnSignals, type SignalAbort } from './signals';
export { publishWorkspace, planWorkspace, type PublishWorkspaceOptions, type PublishWorkspaceResult } from './publish-workspace';
export { formatEvent, formatPlan, formatSummary, reportJson } from './format';
export { yankOldRcs, supersededRcs, type RcYank, type YankOldRcsOptions } from './yank';
