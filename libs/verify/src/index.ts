export { checkCrateRules } from './rules';

export { verifyWorkspace, formatVerifyReport } from './verify';
export { planCheckedBump } from './checked-bump';
