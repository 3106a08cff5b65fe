// The plugin entry point, as Nx's own plugins do it: re-export graph inference.
export { createNodes, createNodesV2 } from './plugin/nodes';
export { createDependencies } from './plugin/dependencies';
