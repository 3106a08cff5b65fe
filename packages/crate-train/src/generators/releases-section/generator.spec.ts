import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_DIR, sampleTree } from '@crate-train/testing';
import releasesSectionGenerator from './generator';

const sample = (rel: string) => readFileSync(join(SAMPLE_DIR, rel), 'utf8');

describe('releases-section generator', () => {
  it('prepends the template (history style), once', async () => {
    const tree = sampleTree();
    await releasesSectionGenerator(tree, { release: '6.0.0' });
    const once = tree.read('RELEASES.md', 'utf-8')!;
    expect(once).toBe(sample('ci/RELEASES-template.md').replace('VERSION', '6.0.0') + sample('RELEASES.md'));
    await releasesSectionGenerator(tree, { release: '6.0.0' });
    expect(tree.read('RELEASES.md', 'utf-8')).toBe(once);
  });

  it('archive style: resets to the template and links the branched notes', async () => {
    const tree = sampleTree({ releasesStyle: 'archive', github: { repository: 'bytecodealliance/wasmtime' } });
    tree.write('ci/RELEASES-template.md', `## VERSION\n\nUnreleased.\n\n### Added\n\n### Changed\n\n${'-'.repeat(80)}\n`);
    tree.write(
      'RELEASES.md',
      `## 5.0.0\n\nUnreleased.\n\n${'-'.repeat(80)}\n\n<!-- ARCHIVE_START -->\n* [4.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-4.0.0/RELEASES.md)\n`,
    );
    await releasesSectionGenerator(tree, { release: '6.0.0' });
    expect(tree.read('RELEASES.md', 'utf-8')).toBe(
      `## 6.0.0\n\nUnreleased.\n\n### Added\n\n### Changed\n\n${'-'.repeat(80)}\n\n<!-- ARCHIVE_START -->\n` +
        '* [5.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-5.0.0/RELEASES.md)\n' +
        '* [4.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-4.0.0/RELEASES.md)\n',
    );
  });
});
