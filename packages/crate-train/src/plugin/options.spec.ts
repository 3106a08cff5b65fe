// Issue 14, item 1: the crate-train options in nx.json are validated once, where
// they are normalized (normalizeOptions: the graph; pluginOptionsIn: the
// executors and generators, from the nx.json Nx parsed), naming the key path and
// the allowed values.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubStandIn, type StandIn } from '@crate-train/github-stand-in';
import { captureOutput, copySample, executorContext, removeTempDirs, withEnv } from '@crate-train/testing';
import cut from '../executors/cut/executor';
import bump from '../executors/bump/executor';
import { TOKEN, world } from '../testing/options';
import { inferInProcess } from '../testing/graph';
import { WorkspaceGraphs } from './workspace-graphs';
import { DEFAULT_OPTIONS, normalizeOptions, pluginOptionProblems, PluginOptionsError, pluginOptionsIn } from './options';

const problemsOf = (raw: unknown) => pluginOptionProblems(raw).map((p) => `nx.json: ${p}`);

afterAll(() => removeTempDirs());

describe('crate-train plugin options in nx.json', () => {
  it('accepts Wasmtime defaults, an empty entry and a full custom one', () => {
    expect(pluginOptionProblems(undefined)).toEqual([]);
    expect(pluginOptionProblems({})).toEqual([]);
    expect(pluginOptionProblems(DEFAULT_OPTIONS)).toEqual([]);
    expect(
      pluginOptionProblems({
        crateRoots: ['crates', 'cranelift'],
        github: { repository: 'acme/runtime', baseUrl: 'https://ghe.example.com/api/v3', tagVia: 'git' },
        supportPolicy: { ltsEvery: 12, firstLtsMajor: 24 },
        versionFiles: [{ path: 'include/v.h', replacements: [{ pattern: '#define V "([^"]+)"', value: 'version' }] }],
        registry: 'local',
        requireNotes: true,
        targets: { check: 'cargo-check' },
      }),
    ).toEqual([]);
  });

  it('an unknown key: did you mean', () => {
    expect(problemsOf({ crateLists: 'scripts/publish.rs' })).toEqual(['nx.json: unknown crate-train plugin option "crateLists"; did you mean "crateList"?']);
    expect(problemsOf({ github: { repo: 'a/b' } })).toEqual(['nx.json: unknown crate-train plugin option "github.repo"; did you mean "github.repository"?']);
  });

  it('a bad enum names the allowed values', () => {
    expect(problemsOf({ releasesStyle: 'fancy' })).toEqual([
      'nx.json: crate-train plugin option "releasesStyle" is "fancy"; allowed: "auto", "history", "archive"',
    ]);
    expect(problemsOf({ versionModel: 'weird' })).toEqual([
      'nx.json: crate-train plugin option "versionModel" is "weird"; allowed: "auto", "classic", "dev-rc"',
    ]);
    expect(problemsOf({ github: { tagVia: 'ssh' } })).toEqual(['nx.json: crate-train plugin option "github.tagVia" is "ssh"; allowed: "api", "git"']);
  });

  it('afterBump is a list of commands (issue 13, item 4)', () => {
    expect(pluginOptionProblems({ afterBump: ['cargo vet', 'cargo vet fmt'] })).toEqual([]);
    expect(problemsOf({ afterBump: 'cargo vet' })).toEqual([
      'nx.json: crate-train plugin option "afterBump" must be an array, e.g. ["cargo vet"]; got the string "cargo vet"',
    ]);
    expect(problemsOf({ afterBump: ['cargo vet', ''] })).toEqual([
      'nx.json: crate-train plugin option "afterBump[1]" is empty; set it, e.g. "cargo vet", or remove the key for the default',
    ]);
  });

  it('github as a string is a wrong type, with an example of the object', () => {
    expect(problemsOf({ github: 'owner/repo' })).toEqual([
      'nx.json: crate-train plugin option "github" must be an object, e.g. { "repository": "owner/name" }; got the string "owner/repo"',
    ]);
  });

  it('versionFiles as a string is a wrong type (it used to crash with options.versionFiles.map is not a function)', () => {
    expect(() => normalizeOptions({ versionFiles: 'x.h' as never })).toThrow(PluginOptionsError);
    expect(problemsOf({ versionFiles: 'x.h' })).toEqual([
      'nx.json: crate-train plugin option "versionFiles" must be an array, e.g. [{ "path": "include/my.h", "replacements": [{ "pattern": "#define MY_VERSION \\"([^\\"]+)\\"", "value": "version" }] }]; got the string "x.h"',
    ]);
    const [pattern, value, ...rest] = problemsOf({ versionFiles: [{ path: 'v.h', replacements: [{ pattern: 'V (\\d+', value: 'build' }] }] });
    expect(pattern).toMatch(
      /^nx\.json: crate-train plugin option "versionFiles\[0\]\.replacements\[0\]\.pattern" is not a valid regular expression: .*Unterminated group/,
    );
    expect(value).toBe('nx.json: crate-train plugin option "versionFiles[0].replacements[0].value" is "build"; allowed: "version", "major", "minor", "patch"');
    expect(rest).toEqual([]);
  });

  it('crateRoots must be an array of strings', () => {
    expect(problemsOf({ crateRoots: 'crates' })).toEqual([
      'nx.json: crate-train plugin option "crateRoots" must be an array, e.g. ["crates", "cranelift"]; got the string "crates"',
    ]);
    expect(problemsOf({ crateRoots: ['crates', 7] })).toEqual([
      'nx.json: crate-train plugin option "crateRoots[1]" must be a string, e.g. "crates"; got the number 7',
    ]);
  });

  it('supportPolicy.ltsEvery must be a whole number', () => {
    expect(problemsOf({ supportPolicy: { ltsEvery: 'x' } })).toEqual([
      'nx.json: crate-train plugin option "supportPolicy.ltsEvery" must be a whole number >= 1; got the string "x"',
    ]);
    expect(problemsOf({ supportPolicy: { ltsEvery: 0 } })).toEqual([
      'nx.json: crate-train plugin option "supportPolicy.ltsEvery" must be a whole number >= 1; got the number 0',
    ]);
  });

  it('github.baseUrl must be a URL, github.repository owner/name', () => {
    expect(problemsOf({ github: { baseUrl: 'ghe.example.com/api' } })).toEqual([
      'nx.json: crate-train plugin option "github.baseUrl" is "ghe.example.com/api", which is not a URL; use the API root, e.g. "https://github.example.com/api/v3"',
    ]);
    expect(problemsOf({ github: { repository: 'wasmtime' } })).toEqual([
      'nx.json: crate-train plugin option "github.repository" is "wasmtime"; expected "owner/name", e.g. "bytecodealliance/wasmtime"',
    ]);
  });

  it('empty strings, wrong scalar types and a non-object entry', () => {
    expect(problemsOf({ registry: '', requireNotes: 'yes', mainBranch: 5 })).toEqual([
      'nx.json: crate-train plugin option "registry" is empty; set it, e.g. "my-registry", or remove the key for the default',
      'nx.json: crate-train plugin option "requireNotes" must be true or false; got the string "yes"',
      'nx.json: crate-train plugin option "mainBranch" must be a string, e.g. "main"; got the number 5',
    ]);
    expect(problemsOf('crate-train')).toEqual([
      'nx.json: the crate-train plugin "options" must be an object, e.g. { "github": { "repository": "owner/name" } }; got the string "crate-train"',
    ]);
  });

  it('every problem at once, one line each, from the nx.json Nx hands an executor', () => {
    const dir = copySample();
    writeFileSync(join(dir, 'nx.json'), JSON.stringify({ plugins: [{ plugin: 'crate-train', options: { crateLists: 'x.rs', releasesStyle: 'fancy' } }] }));
    expect(() => pluginOptionsIn(executorContext(dir).nxJsonConfiguration, dir)).toThrow(
      'nx.json: unknown crate-train plugin option "crateLists"; did you mean "crateList"?\n' +
        'nx.json: crate-train plugin option "releasesStyle" is "fancy"; allowed: "auto", "history", "archive"',
    );
  });

  it('the graph (createNodes) stops with the same message instead of a crash', async () => {
    const dir = copySample();
    await expect(inferInProcess(dir, { versionFiles: 'x.h' as never })).rejects.toThrow(/plugin option "versionFiles" must be an array/);
  });
});

describe('nx.json with comments (Nx accepts them)', () => {
  const NX_JSON_WITH_COMMENTS = [
    '// Workspace settings: Nx reads this file as JSON with comments.',
    '{',
    '  "plugins": [',
    '    {',
    '      "plugin": "crate-train",',
    '      /* the project name the summaries print */',
    '      "options": { "projectName": "Acme" } // trailing comment',
    '    }',
    '  ]',
    '}',
    '',
  ].join('\n');

  it('an executor reads its options from it (bump --dry-run prints the configured project name)', async () => {
    const dir = copySample();
    writeFileSync(join(dir, 'nx.json'), NX_JSON_WITH_COMMENTS);
    expect(() => JSON.parse(NX_JSON_WITH_COMMENTS)).toThrow();
    const r = await captureOutput(() => bump({ kind: 'patch', dryRun: true }, executorContext(dir, 'bump')));
    expect(r.err).toBe('');
    expect(r.success).toBe(true);
    expect(r.out).toContain('bump --kind=patch: Acme 5.0.0 -> 5.0.1 (dry run: nothing written)');
  });
});

describe('executors refuse bad plugin options before anything happens', () => {
  let stand: StandIn;
  beforeAll(async () => {
    stand = await startGitHubStandIn({ repos: {}, token: TOKEN });
  });
  afterAll(() => stand?.stop());

  it('release:cut with releasesStyle "fancy": refused naming the option; origin and stand-in unchanged', async () => {
    const w = await world(stand, { releasesStyle: 'fancy' });
    const before = await w.snapshot();
    const r = await withEnv({ GITHUB_TOKEN: TOKEN }, () => captureOutput(() => cut({}, w.context)));
    expect(r.success).toBe(false);
    expect(r.err).toContain('error: nx.json: crate-train plugin option "releasesStyle" is "fancy"; allowed: "auto", "history", "archive"');
    expect(await w.snapshot()).toEqual(before);
  });

  it('release:bump with versionFiles "x.h": refused naming the option (no crash); nothing written', async () => {
    const w = await world(stand, { versionFiles: 'x.h' });
    const before = await w.snapshot();
    const cargo = readFileSync(join(w.dir, 'Cargo.toml'), 'utf8');
    const r = await captureOutput(() => bump({ kind: 'patch' }, w.context));
    expect(r.success).toBe(false);
    expect(r.err).toContain('error: nx.json: crate-train plugin option "versionFiles" must be an array');
    expect(r.out + r.err).not.toContain('is not a function');
    expect(await w.snapshot()).toEqual(before);
    expect(readFileSync(join(w.dir, 'Cargo.toml'), 'utf8')).toBe(cargo);
  });
});

describe('bad plugin options are reported once', () => {
  it('createDependencies does not throw the createNodes error a second time', () => {
    expect(new WorkspaceGraphs('/nonexistent-root', undefined).latestGraph({ releasesStyle: 'fancy' } as never)).toBe('failed');
  });
});
