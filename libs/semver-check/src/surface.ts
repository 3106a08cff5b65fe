// Turns one crate's rustdoc JSON into its public API surface: every item a user
// can name from outside the crate (through modules and `pub use` re-exports),
// keyed by path, with id-free signatures that two builds can compare.
import type { RustdocCrate } from './rustdoc-types';
import { CanonicalRenderer } from './surface/canonical-render';
import { ItemDescriber } from './surface/items';
import { collectModulePaths } from './surface/module-paths';
import { kindOf, RustdocIndex } from './surface/rustdoc-index';
import type { ApiSurface } from './surface/types';

/** rustdoc JSON format this library is written and tested against (rustc 1.95). */
export const TESTED_FORMAT_VERSION = 57;
/** Older formats lack fields we read (`sig`, structured items); refuse them with a clear message. */
export const MIN_FORMAT_VERSION = 45;

export type { ApiItem, ApiSurface, FieldApi, FnApi, ItemKind, Location, Sig, TraitItemApi, VariantApi } from './surface/types';

export class RustdocFormatError extends Error {
  override name = 'RustdocFormatError';
}

export interface ExtractOptions {
  /** Absolute root of the tree that was documented; absolute span paths are made relative to it. */
  treeRoot?: string;
}

/** Checks the JSON is rustdoc output in a format we can read. */
export function assertRustdocFormat(doc: unknown, source: string): asserts doc is RustdocCrate {
  const d = doc as Partial<RustdocCrate> | null;
  if (!d || typeof d !== 'object' || typeof d.format_version !== 'number' || !d.index || d.root === undefined) {
    throw new RustdocFormatError(`${source} is not rustdoc JSON output (no format_version/index/root)`);
  }
  if (d.format_version < MIN_FORMAT_VERSION) {
    throw new RustdocFormatError(
      `${source} has rustdoc JSON format_version ${d.format_version}; crate-train reads ${MIN_FORMAT_VERSION} or newer ` +
        `(tested with ${TESTED_FORMAT_VERSION}, rustc 1.95): use a newer toolchain`,
    );
  }
}

/**
 * The public API surface of the crate `doc` documents: pass 1 walks the modules for
 * every public path (module-paths), pass 2 describes what each path names
 * (items), with signatures rendered canonically (canonical-render).
 */
export function extractApi(doc: RustdocCrate, opts: ExtractOptions = {}): ApiSurface {
  assertRustdocFormat(doc, 'rustdoc JSON');
  const index = new RustdocIndex(doc, opts.treeRoot);
  const root = index.item(doc.root);
  if (!root || kindOf(root) !== 'module' || !root.name) throw new RustdocFormatError('rustdoc JSON: root module missing');
  const crate = root.name;

  const { found, externalReexports, canonicalLocal } = collectModulePaths(index, root, crate);
  const describer = new ItemDescriber(index, new CanonicalRenderer(index, canonicalLocal));
  const items = describer.describeAll(found);
  describer.addExternalReexports(externalReexports, items);

  return { crate, formatVersion: doc.format_version, items };
}
