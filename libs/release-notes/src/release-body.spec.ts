import { releaseBody } from './release-body';

const RULE = '-'.repeat(80);

describe('releaseBody (the notes of a GitHub release)', () => {
  it('archive style: everything before the first --------------- line, as sed /---------------/Q keeps it', () => {
    const text = `## 25.0.1\n\nReleased 2024-09-24.\n\n### Fixed\n\n* A fix.\n\n## 25.0.0\n\nReleased 2024-09-20.\n\n${RULE}\n\nRelease notes for previous releases of Wasmtime can be found on the respective\nrelease branches of the Wasmtime repository.\n\n<!-- ARCHIVE_START -->\n* [24.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-24.0.0/RELEASES.md)\n`;
    expect(releaseBody(text, '25.0.1', 'archive')).toEqual({
      body: '## 25.0.1\n\nReleased 2024-09-24.\n\n### Fixed\n\n* A fix.\n\n## 25.0.0\n\nReleased 2024-09-20.',
      source: 'RELEASES.md up to the first `---------------` line',
    });
    expect(releaseBody(text, '25.0.2', 'archive')).toEqual({
      body: undefined,
      source: 'RELEASES.md has no "## 25.0.2" above its first `---------------` line',
    });
    expect(releaseBody(text.replace(/\n/g, '\r\n'), '25.0.1', 'archive').body).toBe(
      '## 25.0.1\n\nReleased 2024-09-24.\n\n### Fixed\n\n* A fix.\n\n## 25.0.0\n\nReleased 2024-09-20.',
    );
  });

  it('history style: the ## X.Y.Z section without its heading, up to the next rule or heading', () => {
    const text = `${RULE}\n\n## 5.0.1\n\nReleased 2023-03-01.\n\n### Fixed\n\n* One fix.\n\n${RULE}\n\n## 5.0.0\n\nReleased 2023-02-20.\n`;
    expect(releaseBody(text, '5.0.1', 'history')).toEqual({
      body: 'Released 2023-03-01.\n\n### Fixed\n\n* One fix.',
      source: 'the "## 5.0.1" section of RELEASES.md',
    });
    expect(releaseBody(text, '5.0.0', 'history', 'NOTES.md')).toEqual({ body: 'Released 2023-02-20.', source: 'the "## 5.0.0" section of NOTES.md' });
    expect(releaseBody(text, '4.0.0', 'history').body).toBeUndefined();
  });
});
