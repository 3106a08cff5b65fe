// The release-notes files (RELEASES.md and its template) of a checkout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNotesFile, ReleaseNotesError } from '@crate-train/release-notes';
import { TrainError } from './errors';

/** A release-notes file named by plugin option `option`; a missing file or a directory is a TrainError naming both. */
export function readRel(dir: string, rel: string, option: 'releasesFile' | 'releasesTemplate'): string {
  try {
    return readNotesFile(dir, rel, option, option === 'releasesFile' ? 'the release notes' : 'the RELEASES.md template');
  } catch (e) {
    if (e instanceof ReleaseNotesError) throw new TrainError(e.message);
    throw e;
  }
}

export function writeRel(dir: string, rel: string, text: string): void {
  writeFileSync(join(dir, rel), text);
}
