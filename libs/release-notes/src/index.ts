export { ReleaseNotesError } from './errors';
export { renderTemplate, addNewSection, archiveLabel, detectReleasesStyle, resolveReleasesStyle, type ReleasesStyle, type NewSectionOptions } from './template';
export { dateOnMain, dateOnBranch, checkDate, todayUtc, type DateResult, type BranchDateOptions } from './release-date';
export { addReleaseNote, formatEntry, NOTE_SECTIONS, type NoteSection, type ReleaseNoteOptions } from './release-note';
export { findSection, listVersions, splitLines, fileLineEnding, withLineEnding, type LineEnding } from './sections';
export { readNotesFile } from './read-file';
