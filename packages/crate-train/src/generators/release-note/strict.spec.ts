// Issue 14: the RELEASES.md generators refuse unknown flags and versions that
// are not the branch's current or next one, and keep the file's line endings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { SAMPLE_DIR, sampleTree } from '@crate-train/testing';
import releaseNoteGenerator, { noteVersions } from './generator';
import releasesSectionGenerator from '../releases-section/generator';
import securityAdvisoryGenerator from '../security-advisory/generator';

/** True when every line break of `text` is CRLF (and there is at least one). */
const usesCrlf = (text: string) => /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);

const sample = (rel: string) => readFileSync(join(SAMPLE_DIR, rel), 'utf8');
const crlf = (s: string) => s.replace(/\n/g, '\r\n');

function treeAt(version: string, files: Record<string, string> = {}): Tree {
  const tree = sampleTree();
  tree.write('Cargo.toml', sample('Cargo.toml').replace('version = "5.0.0"', `version = "${version}"`));
  for (const [p, t] of Object.entries(files)) tree.write(p, t);
  return tree;
}

/** Runs a generator that must throw; returns the message after checking RELEASES.md is unchanged. */
async function refused(tree: Tree, run: () => Promise<unknown>): Promise<string> {
  const before = tree.read('RELEASES.md', 'utf-8');
  const message = await run().then(
    () => 'no error',
    (e: Error) => e.message,
  );
  expect(tree.read('RELEASES.md', 'utf-8')).toBe(before);
  expect(tree.listChanges().filter((c) => c.path === 'RELEASES.md' && c.type !== 'CREATE')).toEqual([]);
  return message;
}

describe('release-note --release: semver, and the current or next version of the branch', () => {
  it('allows the current version and its next patch', () => {
    expect(noteVersions('5.0.0')).toEqual(['5.0.0', '5.0.1']);
    expect(noteVersions('6.0.0-dev')).toEqual(['6.0.0', '6.0.1']);
  });

  it('--release=5.0 is not a version', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releaseNoteGenerator(tree, { section: 'Fixed', text: 'x', release: '5.0' }))).toBe(
      'crate-train:release-note: --release=5.0 is not a version: write it as X.Y.Z (semver, e.g. --release=5.0.1)\nNothing was done.',
    );
  });

  it('--release=7.0.0 on a 5.0.0 branch is not its current or next version', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releaseNoteGenerator(tree, { section: 'Fixed', text: 'x', release: '7.0.0' }))).toBe(
      '--release=7.0.0 is not the current or next version of this branch (root Cargo.toml: 5.0.0): use --release=5.0.0 or --release=5.0.1, ' +
        'or leave --release out (here: 5.0.0). Nothing was written.',
    );
  });

  it('--release=4.0.0 (an older, released section) is refused too', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releaseNoteGenerator(tree, { section: 'Fixed', text: 'x', release: '4.0.0' }))).toMatch(
      /^--release=4\.0\.0 is not the current or next version of this branch/,
    );
  });

  it('--release= (empty) is refused, not the default', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releaseNoteGenerator(tree, { section: 'Fixed', text: 'x', release: '' }))).toBe(
      'crate-train:release-note: --release= is empty: give the version (--release=X.Y.Z), or leave the flag out for the default\nNothing was done.',
    );
  });

  it('--txt= (a typo) is refused with did you mean --text, and --text named as needed', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releaseNoteGenerator(tree, { section: 'Fixed', txt: 'x' } as never))).toBe(
      'crate-train:release-note: unknown flag --txt: did you mean --text?\n' +
        'crate-train:release-note needs --text (The note (one paragraph; wrapped at 80 columns))\nNothing was done.',
    );
  });

  it('releases-section --releas=6.0.0: did you mean --release', async () => {
    const tree = treeAt('5.0.0');
    expect(await refused(tree, () => releasesSectionGenerator(tree, { releas: '6.0.0' } as never))).toContain(
      'crate-train:releases-section: unknown flag --releas: did you mean --release?',
    );
  });

  it('security-advisory --release-dy and --today=2024-02-30 are refused before any git call', async () => {
    const tree = treeAt('5.0.0');
    const message = await refused(tree, () =>
      securityAdvisoryGenerator(tree, { summary: 's', severity: 'low', 'release-dy': '2024-03-01', today: '2024-02-30' } as never),
    );
    expect(message).toContain('crate-train:security-advisory: unknown flag --release-dy: did you mean --release-day?');
    expect(message).toContain('--today=2024-02-30 is not a calendar day (February 2024 has 29 days)');
  });
});

describe('RELEASES.md edits keep CRLF line endings', () => {
  const releases = crlf(sample('RELEASES.md'));

  it('a note under an existing heading', async () => {
    const tree = treeAt('5.0.0', { 'RELEASES.md': releases });
    await releaseNoteGenerator(tree, { section: 'Changed', text: 'The pooling allocator now reuses stacks.' });
    const text = tree.read('RELEASES.md', 'utf-8')!;
    expect(usesCrlf(text)).toBe(true);
    expect(text).toContain('* The pooling allocator now reuses stacks.\r\n');
    // Only the entry was added.
    expect(text.replace('* The pooling allocator now reuses stacks.\r\n\r\n', '')).toBe(releases);
  });

  it('a note that starts a new section from an LF template', async () => {
    const tree = treeAt('5.0.0', { 'RELEASES.md': releases });
    await releaseNoteGenerator(tree, { section: 'Fixed', text: 'A crash in the CLI.', release: '5.0.1' });
    const text = tree.read('RELEASES.md', 'utf-8')!;
    expect(usesCrlf(text)).toBe(true);
    expect(text.endsWith(releases)).toBe(true);
    expect(text).toContain('## 5.0.1\r\n');
  });

  it('a new section (releases-section) from an LF template', async () => {
    const tree = treeAt('5.0.0', { 'RELEASES.md': releases });
    await releasesSectionGenerator(tree, { release: '6.0.0' });
    const text = tree.read('RELEASES.md', 'utf-8')!;
    expect(usesCrlf(text)).toBe(true);
    expect(text).toBe(crlf(sample('ci/RELEASES-template.md').replace('VERSION', '6.0.0')) + releases);
  });

  it('an LF file stays LF', async () => {
    const tree = treeAt('5.0.0');
    await releaseNoteGenerator(tree, { section: 'Fixed', text: 'x' });
    expect(tree.read('RELEASES.md', 'utf-8')).not.toContain('\r');
  });
});
