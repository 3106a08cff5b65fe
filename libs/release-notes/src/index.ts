export { ReleaseNotesError } from './errors';
export { renderTemplate, addNewSection, archiveLabel, type ReleasesStyle, type NewSectionOptions } from './template';
export { dateOnMain, dateOnBranch, checkDate, todayUtc, type DateResult } from './release-date';
export { addReleaseNote, formatEntry, NOTE_SECTIONS, type NoteSection, type ReleaseNoteOptions } from './release-note';
export { findSection, listVersions, splitLines } from './sections';
