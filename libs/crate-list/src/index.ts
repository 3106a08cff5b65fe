export {
  parseCrateList,
  readCrateList,
  missingCrateList,
  unreadableCrateList,
  CrateListError,
  CRATES_TO_PUBLISH,
  PUBLIC_CRATES,
  type CrateList,
} from './parse';
export { locateCrateList, CRATE_LIST_CANDIDATES } from './locate';
export { crateScope, type CrateScope, type ScopeCrate, type ScopeOptions } from './scope';
