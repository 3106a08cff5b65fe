import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addNewSection,
  addReleaseNote,
  dateOnBranch,
  dateOnMain,
  renderTemplate,
  ReleaseNotesError,
  todayUtc,
  resolveReleasesStyle,
  readNotesFile,
  checkDate,
  fileLineEnding,
  formatEntry,
} from './index';
import { archiveLabel, detectReleasesStyle } from './template';

// Expected files were produced with Wasmtime's own commands (sed, the
// update-release-date rule) or written by hand; comparisons are byte for byte.
const fx = (p: string) => readFileSync(join(__dirname, 'fixtures', p), 'utf8');
const repo = 'bytecodealliance/wasmtime';

describe('history style (2022-2024)', () => {
  const template = fx('history/template.md');

  it('prepends the template with VERSION replaced on a cut', () => {
    const out = addNewSection(fx('history/main.md'), {
      style: 'history',
      template,
      newVersion: '6.0.0',
      currentVersion: '5.0.0',
      repository: repo,
    });
    expect(out).toBe(fx('history/main-after-cut.md'));
  });

  it('is a no-op when the new section already exists (re-run)', () => {
    const once = fx('history/main-after-cut.md');
    expect(addNewSection(once, { style: 'history', template, newVersion: '6.0.0', currentVersion: '5.0.0' })).toBe(once);
  });

  it('dates the released version on main: the second Unreleased line becomes "Released DATE"', () => {
    const r = dateOnMain(fx('history/main-after-cut.md'), '5.0.0', '2023-02-20');
    expect(r.changed).toBe(true);
    expect(r.text).toBe(fx('history/main-after-cut-dated.md'));
    // A second run finds the date already there and changes nothing.
    expect(dateOnMain(r.text, '5.0.0', '2023-02-20')).toEqual({ text: r.text, changed: false });
  });

  it('dates a release branch like sed s/^Unreleased/Released DATE/', () => {
    const r = dateOnBranch(fx('history/main.md'), '5.0.0', '2023-02-20');
    expect(r.text).toBe(fx('history/branch-dated.md'));
    expect(r.text).toContain('Released 2023-02-20.\n');
    expect(dateOnBranch(r.text, '5.0.0', '2023-02-20').changed).toBe(false);
  });

  it('fails when the version has no section, naming the version and the fix', () => {
    expect(() => dateOnMain(fx('history/main.md'), '7.0.0', '2023-02-20')).toThrow(ReleaseNotesError);
    expect(() => dateOnMain(fx('history/main.md'), '7.0.0', '2023-02-20')).toThrow(/no section "## 7\.0\.0".*release-note --release=7\.0\.0/);
    expect(() => dateOnBranch(fx('history/main.md'), '5.0.1', '2023-02-20', { requireSection: true })).toThrow(/"## 5\.0\.1"/);
  });

  it("on a branch without the version's section, writes what the workflow's sed writes and warns (Wasmtime 47.0.1)", () => {
    const noUnreleased = '## 47.0.0\n\nReleased 2026-07-20.\n\n### Fixed\n\n* x\n';
    const r = dateOnBranch(noUnreleased, '47.0.1', '2026-07-20');
    expect(r).toEqual({
      text: noUnreleased,
      changed: false,
      warning: expect.stringContaining('RELEASES.md has no 47.0.1 section: add the notes to this PR before merging'),
    });
    // sed s/^Unreleased/Released DATE/ touches every such line, whatever section it is in.
    const withUnreleased = '## 5.0.0\n\nUnreleased.\n';
    expect(dateOnBranch(withUnreleased, '5.0.1', '2023-02-20')).toMatchObject({
      text: '## 5.0.0\n\nReleased 2023-02-20.\n',
      changed: true,
      warning: expect.stringMatching(/no 5\.0\.1 section/),
    });
    // A section without an Unreleased/Released line is a warning too, not a refusal.
    expect(dateOnBranch('## 5.0.1\n\n### Fixed\n', '5.0.1', '2023-02-20').warning).toMatch(/neither an "Unreleased" nor a "Released" line/);
  });

  it('detects the archive style by its ARCHIVE_START line', () => {
    expect(detectReleasesStyle('## 48.0.0\n\n---\n\n<!-- ARCHIVE_START -->\n* [47.0.x](x)\n')).toBe('archive');
    expect(detectReleasesStyle(fx('history/main.md'))).toBe('history');
    expect(resolveReleasesStyle('history', '<!-- ARCHIVE_START -->\n')).toBe('history');
    expect(resolveReleasesStyle('auto', '<!-- ARCHIVE_START -->\r\n')).toBe('archive');
  });

  it('rejects a malformed date', () => {
    expect(() => dateOnMain(fx('history/main.md'), '5.0.0', '2023-2-20')).toThrow(/Invalid release date "2023-2-20"/);
    expect(() => dateOnBranch(fx('history/main.md'), '5.0.0', '2023-02-30')).toThrow(/Invalid release date/);
  });

  it('adds entries under Added (wrapped at 80, PR link), a second one after it, and a Fixed heading', () => {
    let text = fx('history/main-after-cut.md');
    text = addReleaseNote(text, {
      version: '6.0.0',
      section: 'Added',
      text: 'Wasmtime now supports the GC proposal behind a flag; see `Config::wasm_gc` for the details of what works and what does not yet.',
      pr: 5700,
      repository: repo,
    });
    text = addReleaseNote(text, { version: '6.0.0', section: 'Added', text: 'A `--preload` flag for the CLI.' });
    text = addReleaseNote(text, {
      version: '6.0.0',
      section: 'Fixed',
      text: 'The `memory.grow` fast path no longer overflows on 32-bit hosts.',
      pr: 5711,
      repository: repo,
    });
    expect(text).toBe(fx('history/main-after-notes.md'));
  });

  it('creates the version section from the template for patch notes on a release branch', () => {
    const out = addReleaseNote(fx('history/branch-dated.md'), {
      version: '5.0.1',
      section: 'Fixed',
      text: 'Guest-controlled out-of-bounds read/write on x86_64.',
      pr: 5800,
      repository: repo,
      template,
    });
    expect(out).toBe(fx('history/branch-patch-note.md'));
    // That section can then be dated by the patch flow.
    expect(dateOnBranch(out, '5.0.1', '2023-03-08').text).toContain('## 5.0.1\n\nReleased 2023-03-08.\n');
  });

  it('rejects bad note input clearly', () => {
    const t = fx('history/main.md');
    expect(() => addReleaseNote(t, { version: '9.9.9', section: 'Added', text: 'x' })).toThrow(/no section "## 9\.9\.9"/);
    expect(() => addReleaseNote(t, { version: '5.0.0', section: 'Removed' as never, text: 'x' })).toThrow(/Unknown release-note section "Removed"/);
    expect(() => addReleaseNote(t, { version: '5.0.0', section: 'Added', text: 'x', pr: 12 })).toThrow(/needs the GitHub repository/);
    expect(() => addReleaseNote(t, { version: '5.0.0', section: 'Added', text: '  ' })).toThrow(/empty/);
  });
});

describe('archive style (2024-)', () => {
  const template = fx('archive/template.md');

  it('drops the branched notes, links them after ARCHIVE_START, prepends the template', () => {
    const out = addNewSection(fx('archive/main.md'), {
      style: 'archive',
      template,
      newVersion: '49.0.0',
      currentVersion: '48.0.0',
      repository: repo,
    });
    expect(out).toBe(fx('archive/main-after-cut.md'));
  });

  it('labels the archive link with the last character replaced by x', () => {
    expect(archiveLabel('48.0.0')).toBe('48.0.x');
    expect(archiveLabel('10.0.0')).toBe('10.0.x');
  });

  it('refuses a file without the rule line or the ARCHIVE_START marker, or without a repository', () => {
    const base = { style: 'archive' as const, template, newVersion: '49.0.0', currentVersion: '48.0.0', repository: repo };
    expect(() => addNewSection('## 48.0.0\n\nUnreleased.\n', base)).toThrow(/no rule line containing `-----------`/);
    expect(() => addNewSection('## 48.0.0\n\n' + '-'.repeat(80) + '\n', base)).toThrow(/ARCHIVE_START/);
    expect(() => addNewSection(fx('archive/main.md'), { ...base, repository: undefined })).toThrow(/github\.repository/);
  });

  it('dates the release branch copy and refuses main (its notes moved to the branch)', () => {
    expect(dateOnBranch(fx('archive/main.md'), '48.0.0', '2025-05-20').text).toBe(fx('archive/branch-dated.md'));
    expect(() => dateOnMain(fx('archive/main-after-cut.md'), '48.0.0', '2025-05-20')).toThrow(/no section "## 48\.0\.0"/);
  });

  it('adds a Changed entry just before the closing rule', () => {
    const out = addReleaseNote(fx('archive/main-after-cut.md'), {
      version: '49.0.0',
      section: 'Changed',
      text: '`wasmtime serve` now listens on 127.0.0.1 by default.',
      pr: 11100,
      repository: repo,
    });
    expect(out).toBe(fx('archive/main-after-note.md'));
  });
});

describe('helpers', () => {
  it('renders only the first VERSION of each line, like sed without /g', () => {
    expect(renderTemplate('## VERSION VERSION\nVERSION\n', '1.2.3')).toBe('## 1.2.3 VERSION\n1.2.3\n');
    expect(() => renderTemplate('## X\n', '1.2.3')).toThrow(/no VERSION placeholder/);
  });
  it('gives today in UTC', () => {
    expect(todayUtc(new Date('2024-03-05T23:30:00-05:00'))).toBe('2024-03-06');
  });
});

describe('readNotesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crate-train-notes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file an option names', () => {
    writeFileSync(join(dir, 'RELEASES.md'), '## 1.0.0\n');
    expect(readNotesFile(dir, 'RELEASES.md', 'releasesFile')).toBe('## 1.0.0\n');
  });

  it('a RELEASES.md that is a directory is reported as such, naming the option (no raw EISDIR)', () => {
    mkdirSync(join(dir, 'notes', 'RELEASES.md'), { recursive: true });
    expect(() => readNotesFile(dir, 'notes/RELEASES.md', 'releasesFile')).toThrow(
      new ReleaseNotesError(
        'notes/RELEASES.md is a directory, not a file (the release notes, option releasesFile) — set `releasesFile` in the crate-train plugin options in nx.json to the Markdown file, or replace the directory with the file',
      ),
    );
  });

  it('a missing file names the file and the option', () => {
    expect(() => readNotesFile(dir, 'ci/RELEASES-template.md', 'releasesTemplate', 'the RELEASES.md template')).toThrow(
      new ReleaseNotesError(
        'ci/RELEASES-template.md not found (the RELEASES.md template, option releasesTemplate) — add the file, or set `releasesTemplate` in the crate-train plugin options in nx.json',
      ),
    );
  });
});

describe("line endings: RELEASES.md edits keep the file's own (CRLF stays CRLF)", () => {
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
  const bareLf = /(^|[^\r])\n/;
  /** The CRLF output: CRLF throughout and, line for line, the LF output. */
  const expectCrlfOf = (out: string, lfOut: string) => {
    expect(out).not.toMatch(bareLf);
    expect(out).toBe(crlf(lfOut));
  };
  const historyTemplate = fx('history/template.md');
  const archiveTemplate = fx('archive/template.md');
  const cut = (releases: string, style: 'history' | 'archive', template: string) =>
    addNewSection(releases, {
      style,
      template,
      newVersion: style === 'history' ? '6.0.0' : '49.0.0',
      currentVersion: style === 'history' ? '5.0.0' : '48.0.0',
      repository: repo,
    });

  it('fileLineEnding: CRLF when there is any and at least as many as bare LF; else LF; the fallback without any line break', () => {
    expect(fileLineEnding('a\r\nb\r\n')).toBe('\r\n');
    expect(fileLineEnding('a\r\nb\n')).toBe('\r\n');
    expect(fileLineEnding('a\r\nb\nc\n')).toBe('\n');
    expect(fileLineEnding('a\nb\n')).toBe('\n');
    expect(fileLineEnding('a\rb\r')).toBe('\n');
    expect(fileLineEnding('')).toBe('\n');
    expect(fileLineEnding('## 1.0.0', '\r\n')).toBe('\r\n');
    expect(fileLineEnding('a\n', '\r\n')).toBe('\n');
  });

  it('the fixtures are LF: the byte-for-byte cases above are the LF behaviour', () => {
    for (const f of ['history/main.md', 'history/template.md', 'archive/main.md', 'archive/template.md']) expect(fx(f)).not.toContain('\r');
  });

  describe('addNewSection', () => {
    it('history: an LF template prepended to a CRLF file is CRLF (so is a CRLF template)', () => {
      const lf = cut(fx('history/main.md'), 'history', historyTemplate);
      expect(lf).toBe(fx('history/main-after-cut.md'));
      expectCrlfOf(cut(crlf(fx('history/main.md')), 'history', historyTemplate), lf);
      expectCrlfOf(cut(crlf(fx('history/main.md')), 'history', crlf(historyTemplate)), lf);
    });

    it("history: an LF file stays LF, also with a CRLF template; an empty file takes the template's ending", () => {
      const lf = cut(fx('history/main.md'), 'history', crlf(historyTemplate));
      expect(lf).toBe(fx('history/main-after-cut.md'));
      expect(cut('', 'history', crlf(historyTemplate))).toBe(crlf(renderTemplate(historyTemplate, '6.0.0')));
      expect(cut('', 'history', historyTemplate)).toBe(renderTemplate(historyTemplate, '6.0.0'));
    });

    it('archive: the template and the link after ARCHIVE_START are CRLF in a CRLF file', () => {
      const lf = cut(fx('archive/main.md'), 'archive', archiveTemplate);
      expect(lf).toBe(fx('archive/main-after-cut.md'));
      expectCrlfOf(cut(crlf(fx('archive/main.md')), 'archive', archiveTemplate), lf);
    });

    it("archive: an ARCHIVE_START last line without an ending gets the file's ending before the link", () => {
      const lfIn = '## 48.0.0\n\nUnreleased.\n\n' + '-'.repeat(80) + '\n\n<!-- ARCHIVE_START -->';
      const lf = cut(lfIn, 'archive', archiveTemplate);
      expect(lf.endsWith('<!-- ARCHIVE_START -->\n* [48.0.x](https://github.com/bytecodealliance/wasmtime/blob/release-48.0.0/RELEASES.md)\n')).toBe(true);
      expectCrlfOf(cut(crlf(lfIn), 'archive', archiveTemplate), lf);
    });

    it('a re-run on a CRLF file returns it unchanged', () => {
      const once = crlf(fx('history/main-after-cut.md'));
      expect(cut(once, 'history', historyTemplate)).toBe(once);
    });

    it('a mixed file: added lines take the dominant ending, the lines it keeps keep their bytes', () => {
      // Mostly CRLF with one LF line (kept as is).
      const mostlyCrlf = '## 5.0.0\r\n\r\nUnreleased.\n\r\n### Added\r\n';
      const out = cut(mostlyCrlf, 'history', historyTemplate);
      expect(out).toBe(crlf(renderTemplate(historyTemplate, '6.0.0')) + mostlyCrlf);
      // Mostly LF with one CRLF line: the template stays LF.
      const mostlyLf = '## 5.0.0\n\nUnreleased.\r\n\n### Added\n';
      expect(cut(mostlyLf, 'history', crlf(historyTemplate))).toBe(renderTemplate(historyTemplate, '6.0.0') + mostlyLf);
    });
  });

  describe('addReleaseNote', () => {
    const notes = (text: string) => {
      text = addReleaseNote(text, {
        version: '6.0.0',
        section: 'Added',
        text: 'Wasmtime now supports the GC proposal behind a flag; see `Config::wasm_gc` for the details of what works and what does not yet.',
        pr: 5700,
        repository: repo,
      });
      text = addReleaseNote(text, { version: '6.0.0', section: 'Added', text: 'A `--preload` flag for the CLI.' });
      return addReleaseNote(text, {
        version: '6.0.0',
        section: 'Fixed',
        text: 'The `memory.grow` fast path no longer overflows on 32-bit hosts.',
        pr: 5711,
        repository: repo,
      });
    };

    it('entries, blank lines, a new heading and its blank lines are CRLF in a CRLF file', () => {
      const lf = notes(fx('history/main-after-cut.md'));
      expect(lf).toBe(fx('history/main-after-notes.md'));
      expectCrlfOf(notes(crlf(fx('history/main-after-cut.md'))), lf);
    });

    it('a section made from an LF template is CRLF in a CRLF file', () => {
      const o = {
        version: '5.0.1',
        section: 'Fixed' as const,
        text: 'Guest-controlled out-of-bounds read/write on x86_64.',
        pr: 5800,
        repository: repo,
        template: historyTemplate,
      };
      const lf = addReleaseNote(fx('history/branch-dated.md'), o);
      expect(lf).toBe(fx('history/branch-patch-note.md'));
      expectCrlfOf(addReleaseNote(crlf(fx('history/branch-dated.md')), o), lf);
      // An LF file with a CRLF template: the section is LF like the file.
      expect(addReleaseNote(fx('history/branch-dated.md'), { ...o, template: crlf(historyTemplate) })).toBe(lf);
    });

    it('a heading inserted before the closing rule is CRLF in a CRLF file (archive)', () => {
      const o = { version: '49.0.0', section: 'Changed' as const, text: '`wasmtime serve` now listens on 127.0.0.1 by default.', pr: 11100, repository: repo };
      const lf = addReleaseNote(fx('archive/main-after-cut.md'), o);
      expect(lf).toBe(fx('archive/main-after-note.md'));
      expectCrlfOf(addReleaseNote(crlf(fx('archive/main-after-cut.md')), o), lf);
    });

    it("a last line without an ending gets the file's ending", () => {
      const lfIn = '## 1.0.0\n\nUnreleased.\n\n### Added\n\n* one';
      const lf = addReleaseNote(lfIn, { version: '1.0.0', section: 'Added', text: 'two' });
      expect(lf).toBe('## 1.0.0\n\nUnreleased.\n\n### Added\n\n* one\n\n* two\n\n');
      expectCrlfOf(addReleaseNote(crlf(lfIn), { version: '1.0.0', section: 'Added', text: 'two' }), lf);
    });

    it('a mixed file: the lines it does not rewrite keep their bytes', () => {
      const mixed = '## 1.0.0\r\n\r\nUnreleased.\n\r\n### Fixed\r\n\r\n* old\r\n';
      expect(addReleaseNote(mixed, { version: '1.0.0', section: 'Added', text: 'new' })).toBe(
        '## 1.0.0\r\n\r\nUnreleased.\n\r\n### Added\r\n\r\n* new\r\n\r\n### Fixed\r\n\r\n* old\r\n',
      );
    });

    it('formatEntry takes the ending (LF by default)', () => {
      expect(formatEntry('x', 1, repo)).toEqual(['* x\n', `  [#1](https://github.com/${repo}/pull/1)\n`]);
      expect(formatEntry('x', 1, repo, 80, '\r\n')).toEqual(['* x\r\n', `  [#1](https://github.com/${repo}/pull/1)\r\n`]);
    });
  });

  describe('release dates', () => {
    it('dateOnMain keeps the CRLF of the line it rewrites', () => {
      const lf = dateOnMain(fx('history/main-after-cut.md'), '5.0.0', '2023-02-20').text;
      expect(lf).toBe(fx('history/main-after-cut-dated.md'));
      expectCrlfOf(dateOnMain(crlf(fx('history/main-after-cut.md')), '5.0.0', '2023-02-20').text, lf);
    });

    it('dateOnMain: an "Unreleased" last line without an ending gets the file\'s ending', () => {
      const lfIn = '## 2.0.0\n\nUnreleased.\n\n## 1.0.0\n\nUnreleased';
      const lf = dateOnMain(lfIn, '1.0.0', '2023-02-20').text;
      expect(lf).toBe('## 2.0.0\n\nUnreleased.\n\n## 1.0.0\n\nReleased 2023-02-20\n');
      expectCrlfOf(dateOnMain(crlf(lfIn), '1.0.0', '2023-02-20').text, lf);
    });

    it('dateOnBranch keeps the CRLF of the lines it rewrites', () => {
      const lf = dateOnBranch(fx('history/main.md'), '5.0.0', '2023-02-20').text;
      expect(lf).toBe(fx('history/branch-dated.md'));
      expectCrlfOf(dateOnBranch(crlf(fx('history/main.md')), '5.0.0', '2023-02-20').text, lf);
      const lfArchive = dateOnBranch(fx('archive/main.md'), '48.0.0', '2025-05-20').text;
      expect(lfArchive).toBe(fx('archive/branch-dated.md'));
      expectCrlfOf(dateOnBranch(crlf(fx('archive/main.md')), '48.0.0', '2025-05-20').text, lfArchive);
    });
  });
});

describe('checkDate', () => {
  it('a well-formed but impossible day says it is not a calendar day and how long the month is', () => {
    expect(() => checkDate('2024-02-30')).toThrow(new ReleaseNotesError('Invalid release date "2024-02-30": not a calendar day (February 2024 has 29 days).'));
    expect(() => checkDate('2023-02-29')).toThrow(new ReleaseNotesError('Invalid release date "2023-02-29": not a calendar day (February 2023 has 28 days).'));
    expect(() => checkDate('1900-02-29')).toThrow('(February 1900 has 28 days)');
    expect(() => checkDate('2024-04-31')).toThrow('(April 2024 has 30 days)');
    expect(() => checkDate('2024-01-00')).toThrow('(January 2024 has 31 days)');
    expect(() => checkDate('2024-13-01')).toThrow(new ReleaseNotesError('Invalid release date "2024-13-01": not a calendar day (there is no month 13).'));
    expect(() => checkDate('2024-00-10')).toThrow('(there is no month 0)');
    expect(() => dateOnMain(fx('history/main.md'), '5.0.0', '2024-02-30')).toThrow('not a calendar day (February 2024 has 29 days)');
  });

  it('a malformed string keeps the format message', () => {
    for (const d of ['2023-2-20', '20/02/2023', '2023-02-20T00:00:00Z', '', ' 2023-02-20']) {
      expect(() => checkDate(d)).toThrow(new ReleaseNotesError(`Invalid release date "${d}": expected YYYY-MM-DD.`));
    }
  });

  it('accepts real days, leap days included', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2023-12-31', '2023-01-01', '2023-04-30']) expect(() => checkDate(d)).not.toThrow();
  });
});
