// Canonical rendering: every signature as a Sig, rendered twice (`display` the way the
// source wrote it, `key` with each path named canonically so two builds compare), with
// a local item named by its shortest public path and any other by rustdoc's path.
import { fnParts, renderGenerics, renderType, type Renderer } from '../render';
import type { Id, RdFunction, RdGenerics, RdType } from '../rustdoc-types';
import type { RustdocIndex } from './rustdoc-index';
import type { FnApi, Sig } from './types';

export class CanonicalRenderer {
  private readonly display: Renderer;
  private readonly key: Renderer;

  constructor(
    private readonly index: RustdocIndex,
    /** Local item id → its shortest public path. */
    private readonly canonicalLocal: Map<string, string>,
  ) {
    const canonical = (id: Id | null | undefined, written: string) => this.canonical(id, written);
    this.display = { mode: 'display', canonical };
    this.key = { mode: 'key', canonical };
  }

  /** The name keys use for the item `id` (written as `written` in the source). */
  canonical(id: Id | null | undefined, written: string): string {
    if (id === null || id === undefined) return written;
    const local = this.canonicalLocal.get(String(id));
    if (local) return local;
    return this.index.recordedPath(id) ?? written;
  }

  /** `render` in both modes. */
  both(render: (r: Renderer) => string): Sig {
    return { display: render(this.display), key: render(this.key) };
  }

  type(type: RdType): Sig {
    return this.both((r) => renderType(type, r));
  }

  /** Generic parameters followed by the where clause. */
  generics(generics: RdGenerics | undefined): Sig {
    return this.both((r) => {
      const x = renderGenerics(generics, r);
      return x.params + x.where;
    });
  }

  fnApi(f: RdFunction): FnApi {
    const d = fnParts(f, this.display);
    const k = fnParts(f, this.key);
    return {
      isConst: f.header.is_const,
      isAsync: f.header.is_async,
      isUnsafe: f.header.is_unsafe,
      abi: k.qualifiers.match(/extern "([^"]+)"/)?.[1] ?? 'Rust',
      generics: { display: d.params + d.where, key: k.params + k.where },
      inputs: { display: d.inputs, key: k.inputs },
      output: { display: d.output, key: k.output },
    };
  }
}
