import type { CreateDependencies } from '@nx/devkit';
import type { CrateTrainOptions } from './options';

// Placeholder until graph inference lands (issue 2).
export const createDependencies: CreateDependencies<Partial<CrateTrainOptions>> = () => [];
