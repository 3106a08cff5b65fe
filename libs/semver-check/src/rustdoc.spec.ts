// The diff on real rustdoc output: one crate documented twice by the installed
// toolchain (before / after an edit), compared.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffApi, type Finding } from './diff';
import { buildRustdocJson } from './rustdoc';
import { extractApi, TESTED_FORMAT_VERSION, type ApiSurface } from './surface';

const BEFORE = `
//! The API before.
use std::fmt;

pub mod inner {
    pub fn deep(x: u32) -> u32 { x }
    pub struct Moved;
}
pub use inner::deep as deep_alias;
pub use inner::Moved;

pub const LIMIT: usize = 10;

#[derive(Debug, Clone)]
pub struct Config { pub fuel: bool, pub stack: usize }
impl Config {
    pub fn new() -> Config { Config { fuel: false, stack: 0 } }
    pub fn fuel(&mut self, on: bool) -> &mut Self { self.fuel = on; self }
    pub const fn limit(&self) -> usize { LIMIT }
}

pub struct Opaque { pub name: String, secret: u8 }

pub enum Strategy { Auto, Cranelift, Level(u8) }

pub trait Host {
    fn call(&self, arg: &str) -> Result<(), String>;
    fn name(&self) -> &str { "host" }
}

pub fn validate<T: AsRef<[u8]>>(bytes: T) -> bool { bytes.as_ref().is_empty() }
pub fn removed_fn() {}
pub fn display(x: &dyn fmt::Display) -> String { x.to_string() }
fn private_fn() {}
`;

const AFTER = `
//! The API after: breaking changes and harmless ones.
use std::fmt;

pub mod inner {
    pub fn deep(y: u32) -> u32 { y }            // parameter renamed: fine
    pub use crate::elsewhere::Moved;            // moved, re-exported where it was: fine
}
mod elsewhere { pub struct Moved; }
pub use elsewhere::Moved;
pub use inner::deep as deep_alias;

pub const LIMIT: u64 = 10;                      // type changed

#[derive(Debug)]                                // Clone dropped
#[non_exhaustive]
pub struct Config { pub fuel: bool, pub stack: usize }
impl Config {
    pub fn new() -> Config { Config { fuel: false, stack: 0 } }
    pub fn fuel(&mut self, on: bool, level: u8) -> &mut Self { let _ = level; self.fuel = on; self }
    pub fn limit(&self) -> usize { LIMIT as usize }   // no longer const
    pub fn added(&self) {}                      // added: fine
}

pub struct Opaque { pub name: Box<str>, secret: u8 }

pub enum Strategy { Auto, Level(u16), Winch }

pub trait Host {
    fn call(&self, arg: &str) -> Result<(), String>;
    fn name(&self) -> &str { "host" }
    fn version(&self) -> u32;                   // required item added
    fn optional(&self) {}                       // provided item added: fine
}

pub fn validate<T: AsRef<[u8]> + Send>(bytes: T) -> bool { bytes.as_ref().is_empty() }
pub fn display(x: &dyn fmt::Display) -> String { x.to_string() }
pub fn brand_new() {}
fn private_fn() {}
`;

/** 1-based line of the first line containing `text`. */
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('diff of real rustdoc JSON (cargo rustdoc --output-format json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crate-train-semver-rustdoc-'));
  const targetDir = join(tmpdir(), 'crate-train-semver-spec-target');
  let before: ApiSurface;
  let after: ApiSurface;
  let findings: Finding[];

  async function document(source: string): Promise<ApiSurface> {
    writeFileSync(join(dir, 'src', 'lib.rs'), source);
    const doc = await buildRustdocJson({ treeDir: dir, crate: 'demo-api', libName: 'demo_api', targetDir, offline: true, label: 'test crate' });
    expect(doc.format_version).toBe(TESTED_FORMAT_VERSION);
    return extractApi(doc, { treeRoot: dir });
  }

  beforeAll(async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "demo-api"\nversion = "1.0.0"\nedition = "2021"\n\n[workspace]\n');
    before = await document(BEFORE);
    after = await document(AFTER);
    findings = diffApi(before, after);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const find = (kind: string, item: string) => findings.find((f) => f.kind === kind && f.item === item);

  it('sees the public API and only it', () => {
    const paths = Object.keys(before.items);
    expect(paths).toEqual(
      expect.arrayContaining(['demo_api::Config::new', 'demo_api::deep_alias', 'demo_api::inner::deep', 'demo_api::Host', 'demo_api::validate']),
    );
    expect(paths).not.toContain('demo_api::private_fn');
    expect(before.items['demo_api::validate']!.location).toEqual({ file: 'src/lib.rs', line: lineOf(BEFORE, 'pub fn validate') });
  });

  it('finds every breaking change, with before → after and a location', () => {
    expect(find('item-removed', 'demo_api::removed_fn')).toMatchObject({
      before: 'pub fn removed_fn()',
      location: { file: 'src/lib.rs', line: lineOf(BEFORE, 'pub fn removed_fn'), tree: 'base' },
    });
    expect(find('type-changed', 'demo_api::LIMIT')).toMatchObject({ before: 'pub const LIMIT: usize', after: 'pub const LIMIT: u64' });
    expect(find('struct-made-non-exhaustive', 'demo_api::Config')).toBeDefined();
    expect(find('trait-impl-removed', 'demo_api::Config')?.message).toBe('trait implementation removed: impl Clone for Config');
    expect(find('fn-signature-changed', 'demo_api::Config::fuel')?.message).toBe(
      'method signature changed: parameters (&mut self, on: bool) → (&mut self, on: bool, level: u8)',
    );
    expect(find('fn-signature-changed', 'demo_api::Config::limit')?.message).toBe('method signature changed: no longer `const`');
    expect(find('field-type-changed', 'demo_api::Opaque::name')).toMatchObject({
      message: 'field type changed: String → Box<str>',
      location: { file: 'src/lib.rs', line: lineOf(AFTER, 'pub struct Opaque'), tree: 'current' },
    });
    expect(find('variant-removed', 'demo_api::Strategy::Cranelift')).toBeDefined();
    expect(find('variant-changed', 'demo_api::Strategy::Level')?.message).toBe('enum variant changed: Level(u8) → Level(u16)');
    expect(find('variant-added', 'demo_api::Strategy::Winch')).toBeDefined();
    expect(find('trait-required-item-added', 'demo_api::Host::version')).toMatchObject({ after: 'fn version(&self) -> u32' });
    expect(find('fn-signature-changed', 'demo_api::validate')?.message).toBe(
      'function signature changed: generics `<T: AsRef<[u8]>>` → `<T: AsRef<[u8]> + Send>`',
    );
  });

  it('lets harmless changes pass: additions, renamed parameters, a moved definition re-exported at the same path', () => {
    const items = findings.map((f) => f.item);
    for (const fine of [
      'demo_api::brand_new',
      'demo_api::Config::added',
      'demo_api::Host::optional',
      'demo_api::inner::deep',
      'demo_api::deep_alias',
      'demo_api::Moved',
      'demo_api::inner::Moved',
      'demo_api::display',
    ]) {
      expect(items).not.toContain(fine);
    }
    expect(findings).toHaveLength(12);
  });
});
