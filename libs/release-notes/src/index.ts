export { ReleaseNotesError } from './errors';
export { renderTemplate, addNewSection, resolveReleasesStyle } from './template';
export { dateOnMain, dateOnBranch, checkDate, calendarDayProblem, todayUtc } from './release-date';
export { addReleaseNote, formatEntry } from './release-note';
export { findSection, splitLines, fileLineEnding, withLineEnding } from './sections';
export { readNotesFile } from './read-file';
export { releaseBody, type ReleaseBody } from './release-body';
