import type { CreateNodesV2 } from '@nx/devkit';
import type { CrateTrainOptions } from './options';

// Placeholder until graph inference lands (issue 2).
export const createNodesV2: CreateNodesV2<Partial<CrateTrainOptions>> = ['**/Cargo.toml', async () => []];
export const createNodes = createNodesV2;
