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
export { locateCrateList } from './locate';
export { crateScope, type CrateScope } from './scope';
