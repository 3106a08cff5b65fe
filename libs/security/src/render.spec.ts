import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { crateRanges, parseRustsecFrontMatter, renderAdvisoryFiles } from './index';
import { RUSTSEC_REQUIRED_KEYS } from './rustsec';
import { sampleContext } from './testing/sample-advisory';

const FIXTURES = join(__dirname, 'fixtures', 'sample-advisory');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [relative(FIXTURES, p)];
  });
}

describe('the files of a sample advisory', () => {
  const files = renderAdvisoryFiles(sampleContext());

  // UPDATE_FIXTURES=1 rewrites the expected files (review the diff before committing).
  if (process.env.UPDATE_FIXTURES === '1') {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(FIXTURES, p)), { recursive: true });
      writeFileSync(join(FIXTURES, p), text);
    }
  }

  it('are exactly the expected set of files', () => {
    expect(Object.keys(files).sort()).toEqual(listFiles(FIXTURES).sort());
  });

  it.each(existsSync(FIXTURES) ? listFiles(FIXTURES) : [])('%s matches the expected file', (p) => {
    expect(files[p]).toBe(readFileSync(join(FIXTURES, p), 'utf8'));
  });

  it('patches the supported lines only (LTS 24, 36, 37), not the ended 35 or the RC 38', () => {
    expect(sampleContext().plan.branches.map((b) => `${b.branch}:${b.nextVersion}`)).toEqual([
      'release-24.0.0:24.0.3',
      'release-36.0.0:36.0.2',
      'release-37.0.0:37.0.1',
    ]);
  });

  it('gives each crate its own line of versions', () => {
    const plan = sampleContext().plan;
    expect(crateRanges(plan, 'cranelift-codegen')).toEqual({
      name: 'cranelift-codegen',
      affected: ['< 0.111.3', '>= 0.112.0, < 0.122.2', '>= 0.123.0, < 0.123.1'],
      patched: ['>= 0.111.3, < 0.112.0', '>= 0.122.2, < 0.123.0', '>= 0.123.1'],
    });
    expect(plan.crates).toEqual(['cranelift-codegen', 'wasmtime', 'wasmtime-wasi']);
  });

  it('writes RustSec files whose TOML front matter has the required keys', () => {
    const rustsec = Object.keys(files).filter((p) => p.endsWith('RUSTSEC-0000-0000.md'));
    expect(rustsec).toEqual([
      'rustsec/crates/cranelift-codegen/RUSTSEC-0000-0000.md',
      'rustsec/crates/wasmtime/RUSTSEC-0000-0000.md',
      'rustsec/crates/wasmtime-wasi/RUSTSEC-0000-0000.md',
    ]);
    const parsed = parseRustsecFrontMatter(files['rustsec/crates/wasmtime/RUSTSEC-0000-0000.md']);
    for (const k of RUSTSEC_REQUIRED_KEYS) expect(parsed.advisory).toHaveProperty(k);
    expect(parsed.advisory).toMatchObject({
      id: 'RUSTSEC-0000-0000',
      package: 'wasmtime',
      date: '2025-10-21',
      url: 'https://github.com/example/wasmtime/security/advisories/GHSA-9p4w-852m-cvvp',
      aliases: ['GHSA-9p4w-852m-cvvp'],
    });
    expect(parsed.versions.patched).toEqual(['>= 24.0.3, < 25.0.0', '>= 36.0.2, < 37.0.0', '>= 37.0.1']);
    expect(parsed.body).toContain('https://github.com/example/wasmtime/security/advisories/GHSA-9p4w-852m-cvvp');
  });

  it('rejects a RustSec file that lacks a required key', () => {
    const text = files['rustsec/crates/wasmtime/RUSTSEC-0000-0000.md'].replace(/^keywords = \[\]\n/m, '');
    expect(() => parseRustsecFrontMatter(text, 'x.md')).toThrow('x.md: [advisory] lacks keywords');
  });
});
