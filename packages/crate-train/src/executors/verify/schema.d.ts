export interface VerifyExecutorSchema {
  build?: boolean;
  skipPackage?: boolean;
  strict?: boolean;
  maxCrateBytes?: number;
  registryChecks?: boolean;
}
