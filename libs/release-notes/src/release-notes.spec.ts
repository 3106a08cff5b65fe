import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addNewSection,
  addReleaseNote,
  dateOnBranch,
  dateOnMain,
  renderTemplate,
  archiveLabel,
  ReleaseNotesError,
  todayUtc,
  detectReleasesStyle,
  resolveReleasesStyle,
  readNotesFile,
} from './index';

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
    expect(r).toEqual({ text: noUnreleased, changed: false, warning: expect.stringContaining('RELEASES.md has no 47.0.1 section: add the notes to this PR before merging') });
    // sed s/^Unreleased/Released DATE/ touches every such line, whatever section it is in.
    const withUnreleased = '## 5.0.0\n\nUnreleased.\n';
    expect(dateOnBranch(withUnreleased, '5.0.1', '2023-02-20')).toMatchObject({ text: '## 5.0.0\n\nReleased 2023-02-20.\n', changed: true, warning: expect.stringMatching(/no 5\.0\.1 section/) });
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
      new ReleaseNotesError('ci/RELEASES-template.md not found (the RELEASES.md template, option releasesTemplate) — add the file, or set `releasesTemplate` in the crate-train plugin options in nx.json'),
    );
  });
});
