export interface VerifyExecutorSchema {
  build?: boolean;
  skipPackage?: boolean;
  strict?: boolean;
}
