import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_DIR, sampleTree } from '@crate-train/testing';
import releaseNoteGenerator, { defaultNoteVersion } from './generator';

const sample = (rel: string) => readFileSync(join(SAMPLE_DIR, rel), 'utf8');

describe('release-note generator', () => {
  it('adds a linked entry under the root version section (sample at 5.0.0)', async () => {
    const tree = sampleTree({ github: { repository: 'bytecodealliance/wasmtime' } });
    await releaseNoteGenerator(tree, { section: 'Changed', text: 'The pooling allocator now reuses stacks.', pr: 5500 });
    const text = tree.read('RELEASES.md', 'utf-8')!;
    expect(text).toContain(
      '### Changed\n\n* `Engine::new` now rejects a zero `max_wasm_stack`.\n  [#5451](https://github.com/bytecodealliance/wasmtime/pull/5451)\n\n' +
        '* The pooling allocator now reuses stacks.\n  [#5500](https://github.com/bytecodealliance/wasmtime/pull/5500)\n\n' +
        '-'.repeat(80) +
        '\n\n## 4.0.0',
    );
    // Only that insertion changed.
    expect(text.replace('* The pooling allocator now reuses stacks.\n  [#5500](https://github.com/bytecodealliance/wasmtime/pull/5500)\n\n', '')).toBe(
      sample('RELEASES.md'),
    );
  });

  it('reads its options from an nx.json with comments, as Nx accepts it', async () => {
    const tree = sampleTree();
    tree.write(
      'nx.json',
      [
        '// Workspace settings (Nx reads this file as JSON with comments).',
        '{',
        '  "plugins": [',
        '    {',
        '      "plugin": "crate-train",',
        '      /* links to this repository */',
        '      "options": { "github": { "repository": "acme/runtime" } } // trailing comment',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
    await releaseNoteGenerator(tree, { section: 'Fixed', text: 'A crash in the CLI.', pr: 7 });
    expect(tree.read('RELEASES.md', 'utf-8')).toContain('* A crash in the CLI.\n  [#7](https://github.com/acme/runtime/pull/7)');
  });

  it('creates a Fixed heading and a new version section from the template', async () => {
    const tree = sampleTree();
    await releaseNoteGenerator(tree, { section: 'Fixed', text: 'A crash in the CLI.', release: '5.0.1' });
    expect(tree.read('RELEASES.md', 'utf-8')).toBe(
      `${'-'.repeat(80)}\n\n## 5.0.1\n\nUnreleased.\n\n### Added\n\n### Changed\n\n### Fixed\n\n* A crash in the CLI.\n\n` + sample('RELEASES.md'),
    );
  });

  it('targets the next patch on a release branch whose version was released', () => {
    const released = sample('RELEASES.md').replace('Unreleased.', 'Released 2023-02-20.');
    expect(defaultNoteVersion(released, '5.0.0')).toBe('5.0.1');
    expect(defaultNoteVersion(sample('RELEASES.md'), '5.0.0')).toBe('5.0.0');
    expect(defaultNoteVersion(sample('RELEASES.md'), '6.0.0-dev')).toBe('6.0.0');
  });

  it('refuses a PR link without a repository, and an empty text', async () => {
    const tree = sampleTree({ remote: 'no-such-remote' });
    await expect(releaseNoteGenerator(tree, { section: 'Added', text: 'x', pr: 1 })).rejects.toThrow(/needs the GitHub repository/);
    await expect(releaseNoteGenerator(tree, { section: 'Added', text: ' ' })).rejects.toThrow(/empty/);
    expect(tree.read('RELEASES.md', 'utf-8')).toBe(sample('RELEASES.md'));
  });
});
