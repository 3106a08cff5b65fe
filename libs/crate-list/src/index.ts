export { parseCrateList, readCrateList, CrateListError, CRATES_TO_PUBLISH, PUBLIC_CRATES, type CrateList } from './parse';
