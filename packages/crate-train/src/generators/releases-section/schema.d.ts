export interface ReleasesSectionGeneratorSchema {
  /** The new version X.Y.Z (`--release`: Nx keeps `--version` for itself). */
  release: string;
  current?: string;
  style?: 'history' | 'archive';
}
