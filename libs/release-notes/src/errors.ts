/** A RELEASES.md edit that cannot be made; the message says which file/version and what to do. */
export class ReleaseNotesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseNotesError';
  }
}
