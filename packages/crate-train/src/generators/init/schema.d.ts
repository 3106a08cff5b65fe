export interface InitGeneratorSchema {
  ci?: 'none' | 'github';
  crateList?: string;
}
