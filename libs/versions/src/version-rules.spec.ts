import { nextVersion, resolveBump, VersionRuleError, type BumpKind } from './version-rules';

describe('nextVersion', () => {
  it.each<[string, BumpKind, string]>([
    // Wasmtime's bump: both version lines by the same rule.
    ['5.0.0', 'major', '6.0.0'],
    ['5.2.7', 'major', '6.0.0'],
    ['0.92.0', 'major', '0.93.0'],
    ['0.92.4', 'major', '0.93.0'],
    ['0.0.7', 'major', '0.0.8'],
    // bump-patch
    ['5.0.0', 'patch', '5.0.1'],
    ['0.92.1', 'patch', '0.92.2'],
    ['0.0.7', 'patch', '0.0.8'],
    // the 2026 model
    ['5.0.0', 'dev', '6.0.0-dev'],
    ['6.0.0-dev', 'dev', '7.0.0-dev'],
    ['0.92.0', 'dev', '0.93.0-dev'],
    ['6.0.0-dev', 'rc', '6.0.0-rc.1'],
    ['6.0.0-rc.1', 'rc', '6.0.0-rc.2'],
    ['6.0.0-rc.9', 'rc', '6.0.0-rc.10'],
    ['0.93.0-dev', 'rc', '0.93.0-rc.1'],
    ['6.0.0-rc.2', 'release', '6.0.0'],
    ['6.0.0-dev', 'release', '6.0.0'],
  ])('%s --kind=%s -> %s', (current, kind, expected) => {
    expect(nextVersion(current, kind)).toBe(expected);
  });

  it.each<[string, BumpKind, string]>([
    ['6.0.0-rc.1', 'patch', 'crate x 6.0.0-rc.1 is a pre-release: a patch bump needs X.Y.Z; release it first with --kind=release'],
    [
      '6.0.0-dev',
      'major',
      'crate x 6.0.0-dev is a pre-release: a major bump needs X.Y.Z; use --kind=release (drop the pre-release) or --kind=dev (next -dev version)',
    ],
    ['5.0.0', 'rc', 'crate x 5.0.0 is neither a -dev nor an -rc.N version: --kind=rc needs X.Y.Z-dev or X.Y.Z-rc.N'],
    ['5.0.0', 'release', 'crate x 5.0.0 is already a release (no pre-release to drop): --kind=release needs X.Y.Z-dev or X.Y.Z-rc.N'],
    ['5.0', 'major', 'crate x "5.0" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write "5.0.0"'],
  ])('refuses %s --kind=%s', (current, kind, message) => {
    expect(() => nextVersion(current, kind, 'crate x')).toThrow(message);
  });
});

describe('resolveBump', () => {
  it('takes the next version of the kind', () => {
    expect(resolveBump('5.0.0', 'patch', undefined)).toEqual({ kind: 'patch', version: '5.0.1' });
  });
  it('accepts --version when it is the next version of the kind', () => {
    expect(resolveBump('5.0.0', 'patch', '5.0.1')).toEqual({ kind: 'patch', version: '5.0.1' });
    expect(resolveBump('6.0.0-dev', 'rc', '6.0.0-rc.1')).toEqual({ kind: 'rc', version: '6.0.0-rc.1' });
  });
  it('refuses --version that is not the next version of the kind', () => {
    expect(() => resolveBump('5.0.0', 'patch', '5.0.2')).toThrow('--version 5.0.2 is not the next patch version: current is 5.0.0, expected 5.0.1');
    expect(() => resolveBump('5.0.0', 'major', '5.1.0')).toThrow('--version 5.1.0 is not the next major version: current is 5.0.0, expected 6.0.0');
  });
  it('infers the kind from --version alone', () => {
    expect(resolveBump('5.0.0', undefined, '6.0.0')).toEqual({ kind: 'major', version: '6.0.0' });
    expect(resolveBump('5.0.0', undefined, '6.0.0-dev')).toEqual({ kind: 'dev', version: '6.0.0-dev' });
    expect(() => resolveBump('5.0.0', undefined, '7.0.0')).toThrow(
      '--version 7.0.0 is not the next version of any kind: current is 5.0.0, expected one of 6.0.0 (major), 5.0.1 (patch), 6.0.0-dev (dev)',
    );
  });
  it('needs a kind or a version, and a valid one', () => {
    expect(() => resolveBump('5.0.0', undefined, undefined)).toThrow('pass --kind (major, patch, dev, rc, release) or --version');
    expect(() => resolveBump('5.0.0', 'minor' as BumpKind, undefined)).toThrow('unknown --kind "minor": use one of major, patch, dev, rc, release');
    expect(() => resolveBump('5.0.0', 'major', 'v6')).toThrow(
      '--version "v6" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write --version=6.0.0',
    );
  });
  it('names a current version that is not semver as such, with the version to write (never a requirement)', () => {
    expect(() => resolveBump('0.3', 'major', undefined, 'Cargo.toml: the root version')).toThrow(
      new VersionRuleError(
        'Cargo.toml: the root version "0.3" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write version = "0.3.0"',
      ),
    );
    expect(() => resolveBump('five', undefined, '6.0.0', 'Cargo.toml: the root version')).toThrow(
      new VersionRuleError(
        'Cargo.toml: the root version "five" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write a version of the form MAJOR.MINOR.PATCH, e.g. version = "1.0.0"',
      ),
    );
  });
});

describe('API-stable crates (wasm-tools API_STABLE_CRATES)', () => {
  it.each<[string, BumpKind, string]>([
    ['1.256.0', 'major', '1.257.0'],
    ['1.256.3', 'major', '1.257.0'],
    ['1.257.0', 'patch', '1.257.1'],
  ])('%s --kind=%s -> %s', (current, kind, expected) => {
    expect(nextVersion(current, kind, 'crate wat', { apiStable: true })).toBe(expected);
  });

  it('resolveBump validates an explicit --version against the minor step', () => {
    expect(resolveBump('1.256.0', 'major', undefined, 'root', { apiStable: true })).toEqual({ kind: 'major', version: '1.257.0' });
    expect(resolveBump('1.256.0', undefined, '1.257.0', 'root', { apiStable: true })).toEqual({ kind: 'major', version: '1.257.0' });
    expect(() => resolveBump('1.256.0', 'major', '2.0.0', 'root', { apiStable: true })).toThrow(
      '--version 2.0.0 is not the next major version: current is 1.256.0, expected 1.257.0',
    );
  });
});
