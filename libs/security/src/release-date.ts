// The release date of a version, as RELEASES.md records it on its release branch.

const HEADING = /^##\s+v?(\S+)\s*$/;
const RELEASED = /^Released\s+(\d{4}-\d{2}-\d{2})\b/;

/**
 * The `Released YYYY-MM-DD` date of `## version` in a RELEASES.md, or null when
 * the section is missing or still says `Unreleased`. The section runs to the next
 * `## ` heading or a rule line of dashes.
 */
export function releaseDateInReleasesMd(text: string, version: string): string | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => HEADING.exec(l)?.[1] === version);
  if (start < 0) return null;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (HEADING.test(l) || /^-{11,}\s*$/.test(l)) break;
    const m = RELEASED.exec(l.trim());
    if (m) return m[1];
  }
  return null;
}

/** The workspace version: the root Cargo.toml's first `version = "..."` line (Wasmtime's rule). */
export function versionInRootManifest(text: string): string | null {
  const m = /^version\s*=\s*"([^"]+)"/m.exec(text);
  return m ? m[1] : null;
}
