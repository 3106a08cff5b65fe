export * from './model';
export { CargoManifestError } from './errors';
export { readWorkspace, type ReadWorkspaceOptions } from './workspace';
export { workspaceEdges } from './edges';
export { readManifest, parseManifest, isTable, type Manifest, type TomlTable } from './manifest';
export { expandMembers, expandMemberPattern, isExcluded, normalizeRel } from './members';
export { readDependencies, readWorkspaceDependencies, DEPENDENCY_TABLES } from './dependencies';
