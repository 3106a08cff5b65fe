export interface ReleaseNoteGeneratorSchema {
  section: 'Added' | 'Changed' | 'Fixed';
  text: string;
  pr?: number;
  version?: string;
}
