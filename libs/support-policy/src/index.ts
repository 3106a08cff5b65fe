export { parseIsoDate, utcToday, addMonths, compareDates } from './dates';
export { parseAffected, describeAffected, type AffectedSpec } from './affected';
export {
  evaluateSupport,
  branchesToPatch,
  isLts,
  firstLtsMajorOf,
  WASMTIME_POLICY,
  type SupportPolicy,
  type ReleaseBranchState,
  type SupportRow,
  type SupportStatus,
  type SupportTable,
  type EvaluateOptions,
} from './policy';
export { renderSupportTable, supportTableJson } from './render';
