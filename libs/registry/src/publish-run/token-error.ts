/** The registry rejected the token before anything was uploaded. */
export class RegistryTokenError extends Error {
  constructor(
    readonly registry: string,
    readonly envVar: string,
    readonly detail: string,
  ) {
    super(
      `registry \`${registry}\` rejected the token in ${envVar} (${detail}) — set ${envVar} to a valid token for \`${registry}\` that may publish these crates, then run publish again; nothing was uploaded`,
    );
    this.name = 'RegistryTokenError';
  }
}
