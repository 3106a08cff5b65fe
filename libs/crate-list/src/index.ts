export {
  parseCrateList,
  readCrateList,
  missingCrateList,
  unreadableCrateList,
  CrateListError,
  CRATES_TO_PUBLISH,
  PUBLIC_CRATES,
  API_STABLE_CRATES,
  type CrateList,
} from './parse';
export { locateCrateList, findCrateList, CRATE_LIST_CANDIDATES } from './locate';
export { crateScope, type CrateScope } from './scope';
export { resolveCrateList, crateListWithSource, listSource, type ResolvedCrateList } from './resolve';
export { workspaceCrateList } from './workspace-list';
