// `crate-train/version-actions`: what nx.json's release.version.versionActions
// names to version Cargo crates with nx release.
import { CargoVersionActions } from './cargo-version-actions';

export { afterAllProjectsVersioned } from './lockfile';
export { CargoVersionActions };
export default CargoVersionActions;
