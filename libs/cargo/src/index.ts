export * from './model';
export { CargoManifestError } from './errors';
export { readWorkspace } from './workspace';
export { workspaceEdges } from './edges';
export { type Manifest } from './manifest';
