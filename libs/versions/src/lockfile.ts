// Rewrites Cargo.lock for a bump without the network. Wasmtime ran `cargo
// fetch` here; but a path member's lock entry only records its name and
// version, so changing those (and the `"name version"` references that
// disambiguate two versions of one name) is all cargo needs to accept the
// lock with `--locked --offline`. Every other byte stays.

import type { TextEdit, VersionChange } from './manifest-edit';
import type { TomlDocument, TomlString } from './toml-scan';

/** One workspace member whose version changes. */
export interface LockMemberChange extends VersionChange {
  name: string;
}

export interface LockfileEditResult {
  edits: TextEdit[];
  /** Names of members whose `[[package]]` entry was found and rewritten. */
  rewritten: string[];
}

function sectionString(entries: TomlDocument['sections'][number]['entries'], key: string): TomlString | undefined {
  for (const kv of entries) {
    if (kv.key.length === 1 && kv.key[0] === key && kv.value.kind === 'string') return kv.value;
  }
  return undefined;
}

export function lockfileEdits(doc: TomlDocument, changes: readonly LockMemberChange[]): LockfileEditResult {
  const byName = new Map<string, LockMemberChange>();
  for (const c of changes) byName.set(c.name, c);
  const edits: TextEdit[] = [];
  const rewritten: string[] = [];
  for (const section of doc.sections) {
    if (!section.arrayOfTables || section.header.length !== 1 || section.header[0] !== 'package') continue;
    const name = sectionString(section.entries, 'name');
    const version = sectionString(section.entries, 'version');
    const hasSource = section.entries.some((kv) => kv.key.length === 1 && kv.key[0] === 'source');
    const change = name && byName.get(name.value);
    // A member is a source-less entry; a registry package may share its name.
    if (change && version && !hasSource && version.value === change.from) {
      edits.push({ start: version.contentStart, end: version.contentEnd, text: change.to });
      rewritten.push(change.name);
    }
    for (const kv of section.entries) {
      if (kv.key.length !== 1 || kv.key[0] !== 'dependencies' || kv.value.kind !== 'array') continue;
      for (const item of kv.value.items) {
        if (item.kind !== 'string') continue;
        // "name", "name version", or "name version (source)"; only the
        // two-part form can point at a member.
        const raw = doc.text.slice(item.contentStart, item.contentEnd);
        const m = /^(\S+) (\S+)$/.exec(raw);
        if (!m) continue;
        const dep = byName.get(m[1]!);
        if (!dep || m[2] !== dep.from) continue;
        const at = item.contentStart + m[1]!.length + 1;
        edits.push({ start: at, end: at + m[2]!.length, text: dep.to });
      }
    }
  }
  return { edits, rewritten };
}
