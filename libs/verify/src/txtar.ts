// Fixture workspaces as txtar archives: a comment, then `-- path --` lines
// each followed by that file's content. Keeps a whole small workspace in one
// readable file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function parseTxtar(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (current !== undefined) files.set(current, body.join(''));
  };
  for (const line of text.split(/(?<=\n)/)) {
    const m = /^-- (.+) --\r?\n?$/.exec(line);
    if (m) {
      flush();
      current = m[1]!;
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  flush();
  return files;
}

/** Writes the files of one or more txtar archives (later ones win) into `dir`. */
export function writeTxtar(dir: string, ...archives: string[]): void {
  for (const path of archives) {
    for (const [rel, content] of parseTxtar(readFileSync(path, 'utf8'))) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
}
