import { releaseEntryFor } from './release-entry';

describe('releaseEntryFor', () => {
  const o = { version: '5.0.1', note: 'Fix a sandbox escape.', ghsa: 'GHSA-aaaa-bbbb-cccc', url: 'https://example.com/advisory', template: null };

  it('puts the entry under ### Fixed of the branch section, no placeholder left', () => {
    const r = releaseEntryFor({ ...o, branchReleases: '## 5.0.1\n\nUnreleased.\n\n## 5.0.0\n\nReleased 2023-02-20.\n' });
    expect(r.sectionExists).toBe(true);
    expect(r.section).toContain('### Fixed\n\n* Fix a sandbox escape.\n  [GHSA-aaaa-bbbb-cccc](https://example.com/advisory)\n');
    expect(r.section).not.toContain('CRATE_TRAIN_SECURITY_ENTRY_TOKEN');
  });

  it('a CRLF RELEASES.md gets a CRLF entry (no bare LF, no placeholder left)', () => {
    const r = releaseEntryFor({ ...o, branchReleases: '## 5.0.1\r\n\r\nUnreleased.\r\n\r\n## 5.0.0\r\n\r\nReleased 2023-02-20.\r\n' });
    expect(r.section).not.toContain('CRATE_TRAIN_SECURITY_ENTRY_TOKEN');
    expect(r.section).toContain('* Fix a sandbox escape.\r\n  [GHSA-aaaa-bbbb-cccc](https://example.com/advisory)\r\n');
    expect(r.section).not.toMatch(/(^|[^\r])\n/);
  });
});
