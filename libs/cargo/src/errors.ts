/**
 * A problem in a Cargo manifest (or a missing one), located as precisely as we can:
 * `crates/foo/Cargo.toml:12:5: <what> — <what to do>`.
 */
export class CargoManifestError extends Error {
  constructor(
    /** Manifest (or folder) path, relative to the workspace root. */
    readonly file: string,
    /** What is wrong and what to do, without the location prefix. */
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${detail}`);
    this.name = 'CargoManifestError';
  }
}
