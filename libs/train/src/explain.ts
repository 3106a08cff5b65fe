import { BumpError } from '@crate-train/versions';
import { TrainError } from './errors';

/** Re-throws library errors that are the user's to fix as TrainErrors with context. */
export function explain<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BumpError) throw new TrainError(`${what}: ${e.problems.join('; ')}`);
    if (e instanceof Error && ['ReleaseNotesError', 'VersionRuleError', 'ApplyError', 'CrateListError', 'CargoManifestError'].includes(e.name)) {
      throw new TrainError(`${what}: ${e.message}`);
    }
    throw e;
  }
}
