export interface ReleaseNoteGeneratorSchema {
  section: 'Added' | 'Changed' | 'Fixed';
  text: string;
  pr?: number;
  /** X.Y.Z whose section gets the entry (`--release`: Nx keeps `--version` for itself). */
  release?: string;
}
