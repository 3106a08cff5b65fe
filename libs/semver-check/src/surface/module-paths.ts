// Pass 1 of extractApi: every public path of every item, found by walking the modules
// from the crate root through `pub` items and `pub use` re-exports (so one item can
// have several paths), and the shortest of them, which names the item in keys.
import type { Id, RdItem } from '../rustdoc-types';
import { innerOf, kindOf, type RustdocIndex } from './rustdoc-index';

/** A public path to an item of this crate. */
export interface PublicPath {
  path: string;
  id: string;
}

/** A `pub use` whose target is not an item of this crate (or a glob of one). */
export interface ExternalReexport {
  path: string;
  use: RdItem;
  target: Id | null;
  glob: boolean;
  source: string;
}

export interface ModulePaths {
  /** Every public path, in the order the walk met them. */
  found: PublicPath[];
  externalReexports: ExternalReexport[];
  /** Item id → its shortest public path (fewest segments, then alphabetical). */
  canonicalLocal: Map<string, string>;
}

interface UseInner {
  source: string;
  name: string;
  id: Id | null;
  is_glob: boolean;
}

class ModuleWalker {
  readonly found: PublicPath[] = [];
  readonly externalReexports: ExternalReexport[] = [];
  readonly pathsById = new Map<string, string[]>();

  constructor(private readonly index: RustdocIndex) {}

  /** Walks `mod`'s public items under `prefix`; `stack` holds the module ids being walked (re-export cycles). */
  visitModule(mod: RdItem, prefix: string, stack: string[]): void {
    for (const childId of innerOf<{ items: Id[] }>(mod, 'module').items) {
      const child = this.index.item(childId);
      if (!child) continue;
      if (kindOf(child) === 'use') {
        if (child.visibility === 'public') this.visitUse(child, prefix, stack);
        continue;
      }
      if (child.visibility !== 'public' || !child.name) continue;
      this.addItem(child, `${prefix}::${child.name}`, stack);
    }
  }

  private visitUse(use: RdItem, prefix: string, stack: string[]): void {
    const u = innerOf<UseInner>(use, 'use');
    const target = this.index.item(u.id);
    if (u.is_glob) return this.visitGlob(use, u, target, prefix, stack);
    const path = `${prefix}::${u.name}`;
    if (target && target.crate_id === 0 && kindOf(target) !== 'use') {
      this.addItem(target, path, stack);
    } else {
      this.externalReexports.push({ path, use, target: u.id, glob: false, source: u.source });
    }
  }

  /** `pub use m::*`: a local module's items join this module; an enum's variants, or anything else, are re-exports. */
  private visitGlob(use: RdItem, u: UseInner, target: RdItem | undefined, prefix: string, stack: string[]): void {
    if (target && kindOf(target) === 'module') {
      if (!stack.includes(String(target.id))) this.visitModule(target, prefix, [...stack, String(target.id)]);
    } else if (target && kindOf(target) === 'enum') {
      for (const variantId of innerOf<{ variants: Id[] }>(target, 'enum').variants) {
        const variant = this.index.item(variantId);
        if (variant?.name) {
          this.externalReexports.push({ path: `${prefix}::${variant.name}`, use, target: variantId, glob: false, source: `${u.source}::${variant.name}` });
        }
      }
    } else {
      this.externalReexports.push({ path: `${prefix}::*(${u.source})`, use, target: u.id, glob: true, source: u.source });
    }
  }

  private addItem(item: RdItem, path: string, stack: string[]): void {
    const id = String(item.id);
    this.found.push({ path, id });
    const list = this.pathsById.get(id) ?? [];
    list.push(path);
    this.pathsById.set(id, list);
    if (kindOf(item) === 'module' && !stack.includes(id)) this.visitModule(item, path, [...stack, id]);
  }
}

/**
 * The shortest public path names a local item in keys: moving a definition and
 * re-exporting it where it was is not an API change.
 */
function shortestPaths(pathsById: Map<string, string[]>): Map<string, string> {
  const canonicalLocal = new Map<string, string>();
  for (const [id, list] of pathsById) {
    const best = [...list].sort((a, b) => a.split('::').length - b.split('::').length || (a < b ? -1 : a > b ? 1 : 0))[0]!;
    canonicalLocal.set(id, best);
  }
  return canonicalLocal;
}

/** Every public path of the crate whose root module is `root`, named `crate`. */
export function collectModulePaths(index: RustdocIndex, root: RdItem, crate: string): ModulePaths {
  const walker = new ModuleWalker(index);
  walker.visitModule(root, crate, [String(root.id)]);
  return { found: walker.found, externalReexports: walker.externalReexports, canonicalLocal: shortestPaths(walker.pathsById) };
}
