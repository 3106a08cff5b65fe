export interface InitGeneratorSchema {
  ci?: 'none' | 'github';
  crateList?: string;
  /** With --ci=github: overwrite edited workflows. */
  force?: boolean;
}
