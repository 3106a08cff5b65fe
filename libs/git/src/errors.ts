/** A git precondition that does not hold (dirty tree, wrong branch, ref elsewhere); the message says what to do. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}
