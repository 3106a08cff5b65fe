// Synthetic Wasmtime-shaped Cargo workspaces of any size, for benchmarks and
// scale tests. Deterministic: the same seed gives the same files.
export { generateSyntheticWorkspace } from './generate';
export type { SyntheticInfo, SyntheticOptions, SyntheticCrate, SyntheticEdge, DepForm, DepKind } from './types';
