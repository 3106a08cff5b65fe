// Test-only: the edits the semver-check specs make to the sample's API.
export const WASMTIME = 'crates/wasmtime/src/lib.rs';
export const ENVIRON = 'crates/environ/src/lib.rs';
// An internal crate gets a public function at v5.0.0, so removing it is "the same kind of change".
export const ENVIRON_FN = '\n/// Size of a host page.\npub fn page_size() -> u64 {\n    4096\n}\n';
export const removeValidate = (src: string) => src.replace(/\/\/\/ Checks that `bytes`[^\n]*\npub fn validate\([\s\S]*?\n}\n/, '');
