import type { NxJsonConfiguration } from '@nx/devkit';
import { findCrateList } from '@crate-train/crate-list';
import { WASMTIME_POLICY, type SupportPolicy } from '@crate-train/support-policy';
import { TRAIN_DEFAULTS, type TrainOptions } from '@crate-train/train';
import { closestName } from '../closest-name';

export type { VersionFileRule } from '@crate-train/versions';
export type SupportPolicyOptions = SupportPolicy;

/**
 * Options of the crate-train entry in nx.json `plugins`. Defaults are Wasmtime's.
 * The release-train settings (project name, branches, marker, RELEASES.md, version
 * files, GitHub, committer) are the train's own; the plugin adds the rest.
 */
export interface CrateTrainOptions extends TrainOptions {
  /**
   * The crate list file; default: found by findCrateList (scripts/publish.rs, crates/misc/publish/src/main.rs,
   * ci/publish.rs, a search). `false`, or no list anywhere: every member without `publish = false` is published.
   */
  crateList: string | false;
  /** Without a crate list: the crates whose API follows semver (semver-check targets, caret requirements; the rest then exact). */
  publicCrates?: string[];
  /**
   * 'train': Wasmtime's monthly release branches and RELEASES.md (cut, release-latest, patch);
   * 'direct': wasm-tools' releases from the current branch (`release:release --kind=major|patch`);
   * 'auto': train when the releases file exists, else direct. Decides the workflows init writes.
   */
  releaseModel?: 'auto' | 'train' | 'direct';
  releaseProject: string;
  /** Cargo registry name for publish (`--registry`); undefined = crates.io. */
  registry?: string;
  /** Owner added after a crate's first publish (Wasmtime: its publishing team). */
  ownerTeam?: string;
  supportPolicy: SupportPolicyOptions;
  targets: { check: string; test: string; clippy: string; build: string; semverCheck: string };
}

/** Wasmtime's values: the train's defaults (one source of truth) plus the plugin's own. */
export const DEFAULT_OPTIONS: CrateTrainOptions = {
  ...TRAIN_DEFAULTS,
  crateList: 'scripts/publish.rs',
  releaseProject: 'release',
  supportPolicy: { ...WASMTIME_POLICY },
  targets: { check: 'check', test: 'test', clippy: 'clippy', build: 'build', semverCheck: 'semver-check' },
};

export const PLUGIN_NAME = 'crate-train';

/** The release model in force ('auto' resolved: train when the releases file exists, else direct), and why. */
export function releaseModelOf(options: Pick<CrateTrainOptions, 'releaseModel' | 'releasesFile'>, exists: (path: string) => boolean): 'train' | 'direct' {
  const m = options.releaseModel ?? 'auto';
  if (m !== 'auto') return m;
  return exists(options.releasesFile) ? 'train' : 'direct';
}

/** Plugin options in nx.json that are not what crate-train understands (one line per problem, naming the key path and the fix). */
export class PluginOptionsError extends Error {
  override name = 'PluginOptionsError';
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `nx.json: ${p}`).join('\n'));
  }
}

// ---- validation of the raw options, before defaults are filled in ----

/** A check returns the problems of `value` at `path` (e.g. "github.baseUrl"). */
type Check = (value: unknown, path: string) => string[];

const opt = (path: string) => `crate-train plugin option "${path}"`;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return `an object (${JSON.stringify(value).slice(0, 60)})`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(example: string): Check {
  return (v, path) =>
    typeof v !== 'string'
      ? [`${opt(path)} must be a string, e.g. ${JSON.stringify(example)}; got ${describe(v)}`]
      : v.trim() === ''
        ? [`${opt(path)} is empty; set it, e.g. ${JSON.stringify(example)}, or remove the key for the default`]
        : [];
}

const bool: Check = (v, path) => (typeof v === 'boolean' ? [] : [`${opt(path)} must be true or false; got ${describe(v)}`]);

function wholeNumber(min: number): Check {
  return (v, path) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? [] : [`${opt(path)} must be a whole number >= ${min}; got ${describe(v)}`]);
}

function oneOf(values: readonly string[]): Check {
  return (v, path) =>
    typeof v === 'string' && values.includes(v) ? [] : [`${opt(path)} is ${JSON.stringify(v)}; allowed: ${values.map((x) => JSON.stringify(x)).join(', ')}`];
}

function arrayOf(item: Check, example: string): Check {
  return (v, path) =>
    Array.isArray(v) ? v.flatMap((x, i) => item(x, `${path}[${i}]`)) : [`${opt(path)} must be an array, e.g. ${example}; got ${describe(v)}`];
}

/** An object whose keys are `fields`; `required` keys must be present (the others default). */
function object(fields: Record<string, Check>, example: string, required: string[] = []): Check {
  return (v, path) => {
    if (!isPlainObject(v)) return [`${opt(path)} must be an object, e.g. ${example}; got ${describe(v)}`];
    return checkFields(v, fields, path, required);
  };
}

function checkFields(v: Record<string, unknown>, fields: Record<string, Check>, path: string | undefined, required: string[] = []): string[] {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const problems: string[] = [];
  for (const [k, value] of Object.entries(v)) {
    const check = fields[k];
    if (check) {
      if (value !== undefined) problems.push(...check(value, at(k)));
      continue;
    }
    const near = closestName(k, Object.keys(fields));
    problems.push(
      `unknown ${opt(at(k))}` +
        (near ? `; did you mean "${at(near)}"?` : `; known ${path ? `keys of "${path}"` : 'options'}: ${Object.keys(fields).join(', ')}`),
    );
  }
  for (const k of required) if (v[k] === undefined) problems.push(`${opt(at(k))} is missing`);
  return problems;
}

const url: Check = (v, path) => {
  const bad = [`${opt(path)} is ${JSON.stringify(v)}, which is not a URL; use the API root, e.g. "https://github.example.com/api/v3"`];
  if (typeof v !== 'string') return [`${opt(path)} must be a URL string, e.g. "https://github.example.com/api/v3"; got ${describe(v)}`];
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? [] : bad;
  } catch {
    return bad;
  }
};

const REPO_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const repository: Check = (v, path) => {
  if (typeof v !== 'string') return [`${opt(path)} must be a string "owner/name", e.g. "bytecodealliance/wasmtime"; got ${describe(v)}`];
  const parts = v.split('/');
  return parts.length === 2 && parts.every((p) => REPO_NAME.test(p))
    ? []
    : [`${opt(path)} is ${JSON.stringify(v)}; expected "owner/name", e.g. "bytecodealliance/wasmtime"`];
};

/** A version pattern: a regular expression with exactly one capture group (what libs/versions applies). */
const versionPattern: Check = (v, path) => {
  const s = str('#define MY_VERSION "([^"]+)"')(v, path);
  if (s.length) return s;
  try {
    new RegExp(v as string, 'gmd');
  } catch (e) {
    return [`${opt(path)} is not a valid regular expression: ${(e as Error).message}`];
  }
  const groups = new RegExp(`${v as string}|`).exec('')!.length - 1;
  return groups === 1 ? [] : [`${opt(path)} must have exactly one capture group around the version (it has ${groups})`];
};

const VERSION_FILE_EXAMPLE = '[{ "path": "include/my.h", "replacements": [{ "pattern": "#define MY_VERSION \\"([^\\"]+)\\"", "value": "version" }] }]';

const FIELD_CHECKS: Record<string, Check> = {
  crateList: (v, path) => (v === false ? [] : str('scripts/publish.rs')(v, path)),
  publicCrates: arrayOf(str('my-crate'), '["my-api"]'),
  crateRoots: arrayOf(str('crates'), '["crates", "cranelift"]'),
  projectName: str('Wasmtime'),
  releaseProject: str('release'),
  mainBranch: str('main'),
  branchPrefix: str('release-'),
  workBranchPrefix: str('ci/'),
  marker: str('[automatically-tag-and-release-this-commit]'),
  remote: str('origin'),
  releasesFile: str('RELEASES.md'),
  releasesTemplate: str('ci/RELEASES-template.md'),
  releasesStyle: oneOf(['auto', 'history', 'archive']),
  versionModel: oneOf(['auto', 'classic', 'dev-rc']),
  releaseModel: oneOf(['auto', 'train', 'direct']),
  requireNotes: bool,
  versionFiles: arrayOf(
    object(
      {
        path: str('crates/c-api/include/wasmtime.h'),
        replacements: arrayOf(
          object({ pattern: versionPattern, value: oneOf(['version', 'major', 'minor', 'patch']) }, '{ "pattern": "...", "value": "version" }', [
            'pattern',
            'value',
          ]),
          '[{ "pattern": "#define MY_VERSION \\"([^\\"]+)\\"", "value": "version" }]',
        ),
      },
      '{ "path": "include/my.h", "replacements": [...] }',
      ['path', 'replacements'],
    ),
    VERSION_FILE_EXAMPLE,
  ),
  github: object({ repository, baseUrl: url, tagVia: oneOf(['api', 'git']) }, '{ "repository": "owner/name" }'),
  committer: object({ name: str('crate-train'), email: str('crate-train@users.noreply.github.com') }, '{ "name": "crate-train", "email": "bot@example.com" }'),
  afterBump: arrayOf(str('cargo vet'), '["cargo vet"]'),
  registry: str('my-registry'),
  ownerTeam: str('github:org:team'),
  supportPolicy: object(
    { ltsEvery: wholeNumber(1), firstLtsMajor: wholeNumber(0), ltsMonths: wholeNumber(0), regularMonths: wholeNumber(0) },
    '{ "ltsEvery": 12, "firstLtsMajor": 24, "ltsMonths": 24, "regularMonths": 2 }',
  ),
  targets: object(
    { check: str('check'), test: str('test'), clippy: str('clippy'), build: str('build'), semverCheck: str('semver-check') },
    '{ "check": "check", "semverCheck": "semver-check" }',
  ),
};

/** A check for an option this file does not list (a train option added later): the type of its default. */
function checkLikeDefault(value: unknown): Check {
  if (typeof value === 'boolean') return bool;
  if (typeof value === 'number') return (v, path) => (typeof v === 'number' ? [] : [`${opt(path)} must be a number; got ${describe(v)}`]);
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return (v, path) => (Array.isArray(v) ? [] : [`${opt(path)} must be an array; got ${describe(v)}`]);
  return (v, path) => (isPlainObject(v) ? [] : [`${opt(path)} must be an object; got ${describe(v)}`]);
}

/** Every problem of the raw plugin options (the `options` of the crate-train entry in nx.json); empty when they are fine. */
export function pluginOptionProblems(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw))
    return [`the crate-train plugin "options" must be an object, e.g. { "github": { "repository": "owner/name" } }; got ${describe(raw)}`];
  const fields: Record<string, Check> = { ...FIELD_CHECKS };
  for (const [k, v] of Object.entries(DEFAULT_OPTIONS)) fields[k] ??= checkLikeDefault(v);
  return checkFields(raw, fields, undefined);
}

/** Throws a PluginOptionsError listing every problem of the raw plugin options. */
export function validatePluginOptions(raw: unknown): void {
  const problems = pluginOptionProblems(raw);
  if (problems.length) throw new PluginOptionsError(problems);
}

/**
 * Checks the options (see validatePluginOptions), then fills in defaults;
 * nested objects merge one level deep. With the workspace root, an unset
 * crateList is the file findCrateList finds there, or false when there is none.
 */
export function normalizeOptions(raw: Partial<CrateTrainOptions> | undefined, workspaceRoot?: string): CrateTrainOptions {
  validatePluginOptions(raw);
  const o = raw ?? {};
  return {
    ...DEFAULT_OPTIONS,
    ...(workspaceRoot !== undefined && o.crateList === undefined ? { crateList: findCrateList(workspaceRoot) ?? false } : {}),
    ...o,
    github: { ...DEFAULT_OPTIONS.github, ...(o.github ?? {}) },
    committer: { ...DEFAULT_OPTIONS.committer, ...(o.committer ?? {}) },
    supportPolicy: { ...DEFAULT_OPTIONS.supportPolicy, ...(o.supportPolicy ?? {}) },
    targets: { ...DEFAULT_OPTIONS.targets, ...(o.targets ?? {}) },
  } as CrateTrainOptions;
}

/**
 * The crate-train plugin options of a workspace, from its nx.json as Nx parsed
 * it (comments and all): executors pass `context.nxJsonConfiguration`,
 * generators `readNxJson(tree)`. Defaults when crate-train has no options or
 * there is no nx.json; throws a PluginOptionsError on bad options.
 */
export function pluginOptionsIn(nxJson: NxJsonConfiguration | null | undefined, workspaceRoot: string): CrateTrainOptions {
  return normalizeOptions(rawPluginOptions(nxJson), workspaceRoot);
}

/** The crate-train options as written in nx.json (no defaults), to tell an unset option from a default one. */
export function rawPluginOptions(nxJson: NxJsonConfiguration | null | undefined): Partial<CrateTrainOptions> | undefined {
  for (const p of nxJson?.plugins ?? []) {
    if (p === PLUGIN_NAME) return undefined;
    if (typeof p === 'object' && p.plugin === PLUGIN_NAME) return p.options as Partial<CrateTrainOptions> | undefined;
  }
  return undefined;
}
