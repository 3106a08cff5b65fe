// The crate list a release step works from: the configured file, else the one
// found in the workspace, else (no file anywhere) the workspace's publishable members.

import { findCrateList } from './locate';
import { readCrateList, type CrateList } from './parse';
import { workspaceCrateList, type ListCrate } from './workspace-list';

export interface ResolvedCrateList {
  list: CrateList;
  /** The file it was read from; undefined when it comes from the workspace. */
  listFile?: string;
}

/**
 * `crateList`: the plugin option — a path (must exist: a configured list never falls
 * back silently), `false` (no list: every publishable member), or undefined (find one).
 */
export function resolveCrateList(
  root: string,
  crateList: string | false | undefined,
  crates: readonly ListCrate[],
  publicCrates?: readonly string[],
): ResolvedCrateList {
  const file = crateList === undefined ? findCrateList(root) : crateList || undefined;
  if (file === undefined) return { list: workspaceCrateList(crates, publicCrates) };
  return { list: readCrateList(root, file), listFile: file };
}

/** How messages name where the list comes from. */
export function listSource(listFile: string | undefined): string {
  return listFile ?? 'the workspace (no crate list: every member without publish = false)';
}

/**
 * The list a step works from, `given` when the caller already read it, else resolved as
 * resolveCrateList does, with how messages name where it comes from (listSource).
 */
export function crateListWithSource(
  root: string,
  crateList: string | false | undefined,
  crates: readonly ListCrate[],
  publicCrates?: readonly string[],
  given?: CrateList,
): { list: CrateList; listFile: string } {
  if (given) return { list: given, listFile: listSource(typeof crateList === 'string' ? crateList : undefined) };
  const resolved = resolveCrateList(root, crateList, crates, publicCrates);
  return { list: resolved.list, listFile: listSource(resolved.listFile) };
}
