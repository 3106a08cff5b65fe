export interface ReleasesSectionGeneratorSchema {
  version: string;
  current?: string;
  style?: 'history' | 'archive';
}
