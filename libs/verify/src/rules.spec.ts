import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { readCrateList } from '@crate-train/crate-list';
import { copySample, tempDirs } from '@crate-train/testing';
import { checkCrateRules, RULE_SEVERITY, type RuleId } from './rules';
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
      ['scripts/publish.rs:3: CRATES_TO_PUBLISH lists ex-apii, which is not a crate of the workspace, so it is skipped — remove it from the list or fix the name'],
    ],
    [
      'listed-but-publish-false',
      ['crates/core/Cargo.toml: crate ex-core is in CRATES_TO_PUBLISH (scripts/publish.rs) but has publish = false, so it is not published — remove it from the list, or remove publish = false'],
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
      [
        'scripts/publish.rs:2: CRATES_TO_PUBLISH is not in dependency order: ex-cli (#1) comes before its dependency ex-api (#2, Cargo.toml:7) — move "ex-api" above "ex-cli" (publishing follows the dependency graph, so this does not stop a release)',
      ],
    ],
    [
      'listed-not-governed',
      [
        'examples/extra/Cargo.toml: crate ex-extra is in CRATES_TO_PUBLISH (scripts/publish.rs:1) but outside the folders the list governs (crates, from the find_crates calls), so it keeps its version and is not published — add its folder to the list\'s find_crates calls (or the crateRoots option) to release it',
      ],
    ],
    ['discovery-folder-missing', ['scripts/publish.rs: find_crates walks "winch", which is not a folder of the workspace — remove the call, or set crateRoots in the crate-train plugin options']],
  ])('%s: fails with the exact message', (name, messages) => {
    // A listed crate with publish = false is not published, so its published dependents break rule depends-on-unpublished (see below).
    const violations = check(fixture(name)).filter((v) => name !== 'listed-but-publish-false' || v.rule === name);
    expect(violations.map((v) => v.message)).toEqual(messages);
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set([name]));
    expect(violations.every((v) => v.severity === RULE_SEVERITY[name as RuleId])).toBe(true);
  });

  it('a listed crate with publish = false is not published: depending on it is an error', () => {
    expect(check(fixture('listed-but-publish-false')).map((v) => `${v.severity} ${v.rule} ${v.crate}`)).toEqual([
      'warning listed-but-publish-false ex-core',
      'error depends-on-unpublished ex-api',
      'error depends-on-unpublished ex-cli',
    ]);
  });

  it('severities: what makes a release wrong is an error, what publish.rs tolerates is a warning', () => {
    expect(Object.entries(RULE_SEVERITY).filter(([, s]) => s === 'error').map(([r]) => r).sort()).toEqual(
      ['depends-on-unpublished', 'internal-not-exact', 'missing-current-version', 'not-listed', 'public-exact'],
    );
  });

  it('a crate outside the find_crates folders is not governed: unlisted is fine, its requirements are not checked', () => {
    const dir = fixture('listed-not-governed');
    // Unlist ex-extra: publish.rs never sees examples/, so nothing is wrong.
    writeFileSync(
      join(dir, 'scripts/publish.rs'),
      'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\nfn main() { find_crates("crates".as_ref(), &ws, &mut c); }\n',
    );
    expect(check(dir)).toEqual([]);
    // Without find_crates calls every member is governed, and ex-extra must be listed.
    writeFileSync(join(dir, 'scripts/publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\n');
    expect(check(dir).map((v) => v.rule)).toEqual(['not-listed']);
    // The crateRoots option overrides the list's folders.
    expect(checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs', crateRoots: ['crates'] })).toEqual([]);
    expect(() => checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs', crateRoots: ['crate'] })).toThrow(
      /nx\.json: the crateRoots option of the crate-train plugin names "crate", which is not a folder of the workspace/,
    );
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
