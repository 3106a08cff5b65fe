// What the steps hand to each other (the release branch, versions, shas of
// pushes for the tag step), and the rule for skipping a step whose executor
// the built plugin does not have yet.
import { join } from 'node:path';
import type { DemoEnvironment } from './environment';
import type { GraphSummary } from './graph-summary';
import type { Capabilities, Shell } from './shell';

export class SkipStep extends Error {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {
    super(`skipped: ${what} ${why}`);
    this.name = 'SkipStep';
  }
}

/** A push to a branch of the origin, as CI sees it (github.event.before/after). */
export interface Push {
  branch: string;
  before: string;
  after: string;
}

export class DemoState {
  readonly graphFile: string;
  graph?: GraphSummary;
  /** The version main had before the cut (the release being made). */
  version?: string;
  releaseBranch?: string;
  /** Pushes the merges made, newest last, for the tag step. */
  releasePushes: Push[] = [];
  mainPushes: Push[] = [];
  /** Tags the tag step created, in order. */
  tagsMade: string[] = [];
  rerunUploads: number[] = [];

  constructor(
    readonly env: DemoEnvironment,
    readonly sh: Shell,
    readonly caps: Capabilities,
  ) {
    this.graphFile = join(env.dir, 'graph.json');
  }

  /** Skips the step unless `release:<target>` exists in the built plugin. */
  needTarget(target: string, what = `nx run release:${target}`): void {
    if (!this.caps.targets.has(target)) throw new SkipStep(what, 'not implemented yet');
  }

  needGenerator(generator: string): void {
    if (!this.caps.generators.has(generator)) throw new SkipStep(`nx g crate-train:${generator}`, 'not implemented yet');
  }

  /** Skips the step when an earlier one did not produce what it needs. */
  needState<T>(value: T | undefined, what: string, because: string): T {
    if (value === undefined) throw new SkipStep(what, because);
    return value;
  }
}
