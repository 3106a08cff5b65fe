import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspace } from '@crate-train/cargo';
import { locateCrateList, readCrateList } from '@crate-train/crate-list';
import { copySample, tempDirs } from '@crate-train/testing';
import { checkCrateRules, RULE_SEVERITY, type RuleId } from './rules';
import { writeTxtar } from './txtar';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const WASMTIME_CASES = join(__dirname, '..', '..', '..', 'tools', 'testing', 'fixtures', 'wasmtime-cases');
const tmp = tempDirs();
afterAll(() => tmp.cleanup());

/** As verify runs the rules: with the files published crates name (readme, license-file). */
function check(dir: string, files = true) {
  return checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs', files });
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
      [
        'scripts/publish.rs:3: CRATES_TO_PUBLISH lists ex-apii, which is not a crate of the workspace, so it is skipped — remove it from the list or fix the name',
      ],
    ],
    [
      'listed-but-publish-false',
      [
        'crates/core/Cargo.toml: crate ex-core is in CRATES_TO_PUBLISH (scripts/publish.rs) but has publish = false, so it is not published — remove it from the list, or remove publish = false',
      ],
    ],
    [
      'internal-not-exact',
      [
        'crates/api/Cargo.toml:9: ex-api depends on ex-core with "1.0.0", but ex-core is not in PUBLIC_CRATES, so the requirement must be exact (internal crates may break their API in any release) — write "=1.0.0"',
      ],
    ],
    [
      'public-exact',
      [
        'Cargo.toml:23: [workspace.dependencies] ex-api (used by ex-cli) requires ex-api with "=1.0.0", but ex-api is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver) — write "1.0.0"',
      ],
    ],
    [
      'missing-current-version',
      [
        `Cargo.toml:10: ex-cli depends on ex-api with "0.9.0", which does not carry ex-api's current version 1.0.0 — write "1.0.0"`,
        'Cargo.toml:13: ex-cli depends on ex-core without a version requirement, so cargo cannot publish it — add version = "=1.0.0"',
      ],
    ],
    [
      'depends-on-unpublished',
      [
        'crates/api/Cargo.toml:12: published crate ex-api depends on ex-tool ([dev-dependencies]), which is not published (publish = false in crates/tool/Cargo.toml) — drop the version so cargo strips the dev-dependency, or publish ex-tool (add it to CRATES_TO_PUBLISH and remove publish = false)',
      ],
    ],
    [
      'list-order',
      [
        'scripts/publish.rs:2: CRATES_TO_PUBLISH is not in dependency order: ex-cli (#1) comes before its dependency ex-api (#2, Cargo.toml:9) — move "ex-api" above "ex-cli" (publishing follows the dependency graph, so this does not stop a release)',
      ],
    ],
    [
      'listed-not-governed',
      [
        "examples/extra/Cargo.toml: crate ex-extra is in CRATES_TO_PUBLISH (scripts/publish.rs:1) but outside the folders the list governs (crates, from the find_crates calls), so it keeps its version and is not published — add its folder to the list's find_crates calls (or the crateRoots option) to release it",
      ],
    ],
    [
      'discovery-folder-missing',
      [
        'scripts/publish.rs: find_crates walks "winch", which is not a folder of the workspace — remove the call, or set crateRoots in the crate-train plugin options',
      ],
    ],
    [
      'version-not-semver',
      // Not `write "=0.3"` for the requirements on it: no requirement can carry a version cargo cannot read.
      [
        'crates/core/Cargo.toml:3: crate ex-core\'s version "0.3" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write version = "0.3.0"',
      ],
    ],
    [
      'dependency-cycle',
      [
        `crates/core/Cargo.toml:9: published crates ex-core and ex-api depend on each other: ex-core → ex-api (crates/core/Cargo.toml:9, [dependencies]) → ex-core (crates/api/Cargo.toml:9, [target.'cfg(unix)'.dependencies]) — ` +
          'cargo refuses a cycle of normal dependencies ("cyclic package dependency") and no order of CRATES_TO_PUBLISH can publish it; remove one of these dependencies (or make it a dev-dependency without a version, which cargo strips on publish)',
      ],
    ],
    [
      'missing-license',
      [
        'crates/core/Cargo.toml:1: published crate ex-core has no license and no license-file in [package], so crates.io refuses to publish it (see https://doc.rust-lang.org/cargo/reference/publishing.html) — ' +
          'add license = "<SPDX expression>" (e.g. "Apache-2.0 WITH LLVM-exception", or license.workspace = true with license in [workspace.package]), or license-file = "LICENSE"',
      ],
    ],
    [
      'missing-description',
      [
        'crates/core/Cargo.toml:1: published crate ex-core has no description in [package], so crates.io refuses to publish it (see https://doc.rust-lang.org/cargo/reference/publishing.html) — add description = "<one sentence about ex-core>"',
      ],
    ],
    [
      'wildcard-requirement',
      [
        'crates/api/Cargo.toml:12: published crate ex-api depends on log with "*", and crates.io refuses wildcard requirements — write the oldest log version that works, e.g. "1" or "0.4"',
      ],
    ],
    [
      'path-only-requirement',
      [
        'crates/api/Cargo.toml:12: published crate ex-api depends on ex-helper by path only (path = "../../vendor/helper", [build-dependencies]), which is not a crate of the workspace; cargo publishes no path, ' +
          'so crates.io refuses to publish it (see https://doc.rust-lang.org/cargo/reference/publishing.html) — add version = "0.2.0" so the registry\'s ex-helper is used (it must be published first), or remove the dependency',
      ],
    ],
    [
      'missing-readme',
      [
        'crates/api/Cargo.toml:7: published crate ex-api names readme "README.md" (crates/api/README.md), which does not exist, so cargo package fails — add the file, fix the path, or remove the readme line (cargo then uses a README.md, README.txt or README it finds)',
      ],
    ],
    [
      'missing-license-file',
      [
        'crates/core/Cargo.toml:5: published crate ex-core names license-file "LICENSE-CORE" (crates/core/LICENSE-CORE), which does not exist, so cargo package fails — add the file or fix the path',
      ],
    ],
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
    expect(
      Object.entries(RULE_SEVERITY)
        .filter(([, s]) => s === 'error')
        .map(([r]) => r)
        .sort(),
    ).toEqual([
      'dependency-cycle',
      'depends-on-unpublished',
      'internal-not-exact',
      'missing-current-version',
      // What crates.io refuses: the publish would fail.
      'missing-description',
      'missing-license',
      'missing-license-file',
      'missing-readme',
      'not-listed',
      'path-only-requirement',
      'public-exact',
      'version-not-semver',
      'wildcard-requirement',
    ]);
  });

  it('a [workspace.package] version that is not semver ("five") is named once, with the crates inheriting it', () => {
    const dir = fixture();
    const root = join(dir, 'Cargo.toml');
    writeFileSync(root, readFileSync(root, 'utf8').replace('version = "1.0.0"', 'version = "five"'));
    expect(check(dir).map((v) => `${v.severity} ${v.rule}: ${v.message}`)).toEqual([
      'error version-not-semver: Cargo.toml:20: [workspace.package] version (inherited by ex-api, ex-cli, ex-core) "five" is not a semantic version (X.Y.Z or X.Y.Z-pre; cargo and crates.io accept nothing else) — write a version of the form MAJOR.MINOR.PATCH, e.g. version = "1.0.0"',
    ]);
  });

  it('a dependency cycle is named as a cycle whatever the list order, never as "move A above B" one way and "move B above A" the other', () => {
    const dir = fixture('dependency-cycle');
    const list = join(dir, 'scripts/publish.rs');
    const byOrder = (order: string[]) => {
      writeFileSync(
        list,
        `const CRATES_TO_PUBLISH: &[&str] = &[${order.map((n) => `"${n}"`).join(', ')}];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\n`,
      );
      return check(dir);
    };
    for (const order of [
      ['ex-core', 'ex-api', 'ex-cli'],
      ['ex-api', 'ex-core', 'ex-cli'],
    ]) {
      const violations = byOrder(order);
      expect(violations.map((v) => v.rule)).toEqual(['dependency-cycle']);
      expect(violations[0]!.message).toMatch(/published crates ex-(core|api) and ex-(api|core) depend on each other: /);
      expect(violations[0]!.message).not.toMatch(/move "/);
    }
    expect(byOrder(['ex-api', 'ex-core', 'ex-cli'])[0]!.message).toContain(
      `: ex-api → ex-core (crates/api/Cargo.toml:9, [target.'cfg(unix)'.dependencies]) → ex-api (crates/core/Cargo.toml:9, [dependencies]) — cargo refuses a cycle`,
    );
  });

  it('a cycle through a dev-dependency with a version is named as a cycle too (a warning: the fix is to drop that version)', () => {
    const dir = fixture('dependency-cycle');
    const core = join(dir, 'crates/core/Cargo.toml');
    writeFileSync(core, readFileSync(core, 'utf8').replace('[dependencies]', '[dev-dependencies]'));
    expect(check(dir).map((v) => `${v.severity} ${v.rule}: ${v.message}`)).toEqual([
      `warning list-order: crates/core/Cargo.toml:9: published crates ex-core and ex-api depend on each other (through a dev-dependency with a version): ex-core → ex-api (crates/core/Cargo.toml:9, [dev-dependencies]) → ex-core (crates/api/Cargo.toml:9, [target.'cfg(unix)'.dependencies]) — ` +
        `no order of CRATES_TO_PUBLISH puts every dependency first; drop the version of ex-core's dev-dependency on ex-api so cargo strips it on publish (publishing follows the dependency graph, so this does not stop a release)`,
    ]);
  });

  it('a [workspace.dependencies] wildcard used by several published crates is reported once, naming them all', () => {
    const dir = fixture();
    const root = join(dir, 'Cargo.toml');
    writeFileSync(root, readFileSync(root, 'utf8').replace('[dependencies]\n', '[dependencies]\nlog.workspace = true\n') + 'log = "*"\n');
    const api = join(dir, 'crates/api/Cargo.toml');
    writeFileSync(api, readFileSync(api, 'utf8') + '\n[dependencies]\nlog = { workspace = true }\n');
    expect(check(dir).map((v) => v.message)).toEqual([
      'Cargo.toml:28: published crates ex-api, ex-cli depend on log with "*" ([workspace.dependencies] log), and crates.io refuses wildcard requirements — write the oldest log version that works, e.g. "1" or "0.4"',
    ]);
  });

  it('a path-only or versionless dev-dependency is stripped by cargo, so it is no crates.io problem', () => {
    const dir = fixture('path-only-requirement');
    const api = join(dir, 'crates/api/Cargo.toml');
    writeFileSync(api, readFileSync(api, 'utf8').replace('[build-dependencies]', '[dev-dependencies]'));
    expect(check(dir)).toEqual([]);
  });

  it('release steps (files: false) check the manifests only: a missing readme or license file is left to verify and publish', () => {
    expect(check(fixture('missing-readme'), false)).toEqual([]);
    expect(check(fixture('missing-license-file'), false)).toEqual([]);
    // A readme inherited from [workspace.package] is relative to the workspace root, as cargo reads it.
    const dir = fixture();
    const root = join(dir, 'Cargo.toml');
    writeFileSync(
      root,
      readFileSync(root, 'utf8').replace('license = "Apache-2.0 WITH LLVM-exception"', 'license = "Apache-2.0 WITH LLVM-exception"\nreadme = "docs/README.md"'),
    );
    const core = join(dir, 'crates/core/Cargo.toml');
    writeFileSync(core, readFileSync(core, 'utf8') + 'readme.workspace = true\n');
    expect(check(dir).map((v) => v.message)).toEqual([
      'Cargo.toml:23: published crate ex-core names readme "docs/README.md" ([workspace.package]) (docs/README.md), which does not exist, so cargo package fails — add the file, fix the path, or remove the readme line (cargo then uses a README.md, README.txt or README it finds)',
    ]);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/README.md'), '# ex\n');
    expect(check(dir)).toEqual([]);
  });

  it.each(
    readdirSync(WASMTIME_CASES)
      .flatMap((c) => ['before', 'after'].map((side) => `${c}/${side}`))
      .filter((c) => existsSync(join(WASMTIME_CASES, c))),
  )('the real Wasmtime tree %s passes the manifest rules crates.io adds (release steps would not refuse it)', (rel) => {
    const dir = tmp.make('rules-wasmtime');
    cpSync(join(WASMTIME_CASES, rel), dir, { recursive: true });
    // The WASI submodule's witx crate (see real-cases.e2e.spec.ts): Wasmtime's workflow checks out submodules.
    if (rel.startsWith('release-date-on-main-15.0.0')) {
      mkdirSync(join(dir, 'crates/wasi-common/WASI/tools/witx'), { recursive: true });
      writeFileSync(join(dir, 'crates/wasi-common/WASI/tools/witx/Cargo.toml'), '[package]\nname = "witx"\nversion = "0.9.1"\nedition = "2018"\n');
    }
    const listFile = locateCrateList(dir);
    const added = new Set<RuleId>([
      'version-not-semver',
      'dependency-cycle',
      'missing-license',
      'missing-description',
      'wildcard-requirement',
      'path-only-requirement',
    ]);
    const violations = checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir, listFile), listFile });
    expect(violations.filter((v) => added.has(v.rule))).toEqual([]);
    expect(violations.filter((v) => v.severity === 'error' && v.rule !== 'not-listed')).toEqual([]);
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
    writeFileSync(
      join(dir, 'scripts/publish.rs'),
      'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\n',
    );
    expect(check(dir).map((v) => v.rule)).toEqual(['not-listed']);
    // The crateRoots option overrides the list's folders.
    expect(checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs', crateRoots: ['crates'] })).toEqual([]);
    expect(() => checkCrateRules({ workspace: readWorkspace(dir), list: readCrateList(dir), listFile: 'scripts/publish.rs', crateRoots: ['crate'] })).toThrow(
      /nx\.json: the crateRoots option of the crate-train plugin names "crate", which is not a folder of the workspace/,
    );
  });

  it('without PUBLIC_CRATES (wasm-tools) there is no exact/caret rule: "1.0.0" and "=1.0.0" both pass, a stale version does not', () => {
    const dir = fixture('internal-not-exact');
    expect(check(dir).map((v) => v.rule)).toEqual(['internal-not-exact']);
    writeFileSync(join(dir, 'scripts/publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\n');
    expect(check(dir)).toEqual([]);
    const publicExact = fixture('public-exact');
    writeFileSync(join(publicExact, 'scripts/publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\n');
    expect(check(publicExact)).toEqual([]);
    const stale = fixture('missing-current-version');
    writeFileSync(join(stale, 'scripts/publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-cli"];\n');
    expect(check(stale).map((v) => v.message)).toEqual([
      `Cargo.toml:10: ex-cli depends on ex-api with "0.9.0", which does not carry ex-api's current version 1.0.0 — write "1.0.0"`,
      'Cargo.toml:13: ex-cli depends on ex-core without a version requirement, so cargo cannot publish it — add version = "1.0.0"',
    ]);
  });

  it('a [workspace.dependencies] line used by several published crates is reported once, naming them all', () => {
    const dir = fixture('public-exact');
    // ex-api is also used by a second published crate.
    const extra = tmp.make('rules-extra-txtar');
    writeFileSync(
      join(extra, 'more.txtar'),
      '-- crates/more/Cargo.toml --\n[package]\nname = "ex-more"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\ndescription = "more"\n\n[dependencies]\nex-api.workspace = true\n-- crates/more/src/lib.rs --\n' +
        '-- scripts/publish.rs --\nconst CRATES_TO_PUBLISH: &[&str] = &["ex-core", "ex-api", "ex-more", "ex-cli"];\nconst PUBLIC_CRATES: &[&str] = &["ex-api", "ex-cli"];\n',
    );
    writeTxtar(dir, join(extra, 'more.txtar'));
    expect(check(dir).map((v) => v.message)).toEqual([
      'Cargo.toml:23: [workspace.dependencies] ex-api (used by ex-more, ex-cli) requires ex-api with "=1.0.0", but ex-api is in PUBLIC_CRATES, so the requirement must not be exact (its API follows semver) — write "1.0.0"',
    ]);
  });
});
