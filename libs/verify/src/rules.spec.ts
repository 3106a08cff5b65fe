import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { copySample, tempDirs } from '@crate-train/testing';
import { checkCrateRules } from './rules';
import { writeTxtar } from './txtar';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const tmp = tempDirs();
afterAll(() => tmp.cleanup());

function check(dir: string) {
  return checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs' });
}

function fixture(name?: string): string {
  const dir = tmp.make(`rules-${name ?? 'base'}`);
  writeTxtar(dir, join(FIXTURES, 'base.txtar'), ...(name ? [join(FIXTURES, `${name}.txtar`)] : []));
  return dir;
}

describe('crate-list rules', () => {
  it('the sample workspace passes every rule', () => {
    expect(check(copySample(tmp.make('rules-sample')))).toEqual([]);
  });

  it('the base fixture passes every rule', () => {
    expect(check(fixture())).toEqual([]);
  });

  it.each<[string, string[]]>([
    [
      'not-listed',
      [
        'crates/extra/Cargo.toml: crate ex-extra is neither in CRATES_TO_PUBLISH (scripts/publish.rs) nor marked publish = false — add "ex-extra" to CRATES_TO_PUBLISH after its dependencies, or add publish = false to [package] in crates/extra/Cargo.toml',
      ],
    ],
    [
      'listed-not-in-workspace',
      ['scripts/publish.rs:3: CRATES_TO_PUBLISH lists ex-apii, which is not a crate of the workspace — remove it from the list or fix the name'],
    ],
    [
      'listed-but-publish-false',
      ['crates/core/Cargo.toml: crate ex-core is in CRATES_TO_PUBLISH (scripts/publish.rs) but has publish = false — remove it from the list, or remove publish = false'],
    ],
    [
      'internal-not-exact',
      [
        'crates/api/Cargo.toml:7: ex-api depends on ex-core with "1.0.0", but ex-core is not in PUBLIC_CRATES, so the requirement must be exact (internal crates may break their API in any release) — write "=1.0.0"',
      ],
    ],
    [
      'public-exact',
      [
        'Cargo.toml:20: [workspace.dependencies] ex-api (used by ex-cli) requires ex-api with "=1.0.0", but ex-api is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver) — write "1.0.0"',
      ],
    ],
    [
      'missing-current-version',
      [
        `Cargo.toml:8: ex-cli depends on ex-api with "0.9.0", which does not carry ex-api's current version 1.0.0 — write "1.0.0"`,
        'Cargo.toml:11: ex-cli depends on ex-core without a version requirement, so cargo cannot publish it — add version = "=1.0.0"',
      ],
    ],
    [
      'depends-on-unpublished',
      [
        'crates/api/Cargo.toml:10: published crate ex-api depends on ex-tool ([dev-dependencies]), which is not published (publish = false in crates/tool/Cargo.toml) — drop the version so cargo strips the dev-dependency, or publish ex-tool (add it to CRATES_TO_PUBLISH and remove publish = false)',
      ],
    ],
    [
      'list-order',
      ['scripts/publish.rs:2: CRATES_TO_PUBLISH is not in dependency order: ex-cli (#1) comes before its dependency ex-api (#2, Cargo.toml:7) — move "ex-api" above "ex-cli"'],
    ],
  ])('%s: fails with the exact message', (name, messages) => {
    const violations = check(fixture(name));
    expect(violations.map((v) => v.message)).toEqual(messages);
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set([name]));
  });

  it('a [workspace.dependencies] line used by several published crates is reported once, naming them all', () => {
    const dir = fixture('public-exact');
    // ex-api is also used by a second published crate.
    const extra = tmp.make('rules-extra-txtar');
    writeFileSync(
      join(extra, 'more.txtar'),
      '-- crates/more/Cargo.toml --\n[package]\nname = "ex-more"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\nex-api.workspace = true\n-- crates/more/src/lib.rs --\n' +
        '-- scripts/publish.rs --\nconst CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-more", "ex-cli"];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\n',
    );
    writeTxtar(dir, join(extra, 'more.txtar'));
    expect(check(dir).map((v) => v.message)).toEqual([
      'Cargo.toml:20: [workspace.dependencies] ex-api (used by ex-more, ex-cli) requires ex-api with "=1.0.0", but ex-api is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver) — write "1.0.0"',
    ]);
  });
});
