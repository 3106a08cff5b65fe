// Read access to one rustdoc JSON document: items by id, their kind and kind-specific
// data, and source locations relative to the documented tree.
import type { Id, RdItem, RdSpan, RustdocCrate } from '../rustdoc-types';
import type { Location } from './types';

/** The item's kind: the single key of its `inner` (`function`, `struct`, `use`, ...). */
export function kindOf(item: RdItem): string {
  return Object.keys(item.inner)[0] ?? '';
}

/** The kind-specific data of an item (`item.inner[kind]`), typed by the caller. */
export function innerOf<T>(item: RdItem, kind: string): T {
  return item.inner[kind] as T;
}

export function isNonExhaustive(item: RdItem): boolean {
  return item.attrs.some((a) => (typeof a === 'string' ? a === 'non_exhaustive' || a.includes('#[non_exhaustive]') : 'non_exhaustive' in a));
}

export class RustdocIndex {
  /** Absolute root of the documented tree, `/`-separated, without a trailing `/`. */
  private readonly treeRoot: string | undefined;

  constructor(
    readonly doc: RustdocCrate,
    treeRoot: string | undefined,
  ) {
    this.treeRoot = treeRoot?.replace(/\\/g, '/').replace(/\/$/, '');
  }

  item(id: Id | null | undefined): RdItem | undefined {
    return id === null || id === undefined ? undefined : this.doc.index[String(id)];
  }

  /** The full path rustdoc records for an id (items of this and other crates), joined with `::`. */
  recordedPath(id: Id): string | undefined {
    return this.doc.paths[String(id)]?.path.join('::');
  }

  /** Where a span starts, its file relative to the documented tree when it lies inside it. */
  location(span: RdSpan | null | undefined): Location | undefined {
    if (!span) return undefined;
    let file = span.filename.replace(/\\/g, '/');
    const base = this.treeRoot;
    if (base && file.startsWith(base + '/')) file = file.slice(base.length + 1);
    return { file, line: span.begin[0] };
  }
}
