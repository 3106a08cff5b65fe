export { parseIsoDate, utcToday, compareDates } from './dates';
export { parseAffected } from './affected';
export { evaluateSupport, branchesToPatch, WASMTIME_POLICY, type SupportPolicy, type ReleaseBranchState, type SupportTable } from './policy';
export { renderSupportTable, supportTableJson } from './render';
export { ciBranches, type CiBranch } from './ci-branches';
