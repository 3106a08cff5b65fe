/** A release-train step that must not go ahead; the message says why and what to do. */
export class TrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainError';
  }
}

/** A step needs a GitHub token and none is set. */
export class MissingTokenError extends TrainError {
  constructor(what: string) {
    super(
      `${what} needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN) in the environment, ` +
        'or preview without one using --dry-run (or --no-push to stop before pushing and opening pull requests).',
    );
    this.name = 'MissingTokenError';
  }
}
