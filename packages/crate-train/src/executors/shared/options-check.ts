// Every executor and generator checks its options against its own schema.json
// first, before any git, GitHub or registry call. Nx passes a flag the schema
// does not have through as is (`--dryrun` arrives as `dryrun`, `--dry_run` as
// `dry_run`), so a typo used to be silently ignored: `release:cut --dryrun` did
// a real cut. Here it is an error that names the flag the user meant.
import type { ExecutorContext } from '@nx/devkit';
import { valid as validSemver } from 'semver';
import { calendarDayProblem } from '@crate-train/release-notes';
import { closestName } from '../../closest-name';
import { executorOutput } from './output';

/** What we read of a schema.json. */
export interface OptionsSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
}

export interface CheckOptions {
  /** Options that must be given (kept out of schema.json's `required`, which Nx checks before any did-you-mean). */
  required?: string[];
  /** Option names whose value is a version (X.Y.Z[-pre]); default: `version`. */
  versions?: string[];
  /** Options set in the target's configuration (project.json, nx.json targetDefaults) rather than on the command line. */
  fromTarget?: Record<string, unknown>;
}

/** `dryRun` -> `--dry-run`, as typed on the nx command line. */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * An unknown key as the user typed it: Nx keeps unknown flags verbatim
 * (`dryrun`, `dry_run`, `d` for `-d`); `--no-pus` arrives as `pus: false`.
 */
function typedFlag(key: string, value: unknown): string {
  if (key.length === 1) return `-${key}`;
  return value === false ? `--no-${key}` : `--${key}`;
}

/** Why `value` is not a `YYYY-MM-DD` calendar day, or undefined when it is one (the day rule is release-notes'). */
export function dateProblem(flag: string, value: string): string | undefined {
  const p = calendarDayProblem(value);
  if (!p) return undefined;
  if (p.kind === 'format') return `${flag}=${value} is not a date: write it as YYYY-MM-DD (e.g. ${flag}=2024-02-29)`;
  if (p.kind === 'month') return `${flag}=${value} is not a calendar day (the month ${p.month} does not exist: months are 01 to 12)`;
  return `${flag}=${value} is not a calendar day (${p.monthName} ${Number(p.year)} has ${p.days} days)`;
}

const isDateOption = (p: PropertySchema) => /YYYY-MM-DD/.test(p.description ?? '');

/** What to do instead of an empty value, per flag. */
const EMPTY_HINTS: Record<string, string> = {
  registry:
    'name a cargo registry (--registry=NAME, from .cargo/config.toml or CARGO_REGISTRIES_<NAME>_INDEX), or leave the flag out for the plugin option "registry" (else crates.io)',
  version: 'give the version (--version=X.Y.Z), or leave the flag out for the default',
  release: 'give the version (--release=X.Y.Z), or leave the flag out for the default',
  date: 'give the day (--date=YYYY-MM-DD), or leave the flag out for today (UTC)',
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

function typeMatches(p: PropertySchema, value: unknown): boolean {
  if (p.type === undefined) return true;
  const types = Array.isArray(p.type) ? p.type : [p.type];
  // A string option given digits may arrive as a number (yargs parses `--before=1234567`).
  return types.some((t) => (t === 'integer' ? Number.isInteger(value) : t === typeOf(value) || (t === 'string' && typeof value === 'number')));
}

/**
 * Every problem with `options` (one line each, naming the flag and the fix):
 * flags the schema does not have, positional arguments, missing required flags,
 * wrong types and enum values, empty strings, dates that are not calendar days,
 * versions that are not semver. Keys with the value undefined count as absent.
 */
export function optionProblems(command: string, options: Record<string, unknown>, schema: OptionsSchema, check: CheckOptions = {}): string[] {
  const props = schema.properties ?? {};
  const known = Object.keys(props);
  const listing = known.map(flagOf).join(', ');
  const problems: string[] = [];
  const fromTarget = check.fromTarget ?? {};
  const given = Object.entries(options).filter(([, v]) => v !== undefined);

  for (const [key, value] of given) {
    if (key in props) continue;
    if (key === '_') {
      const args = [value].flat().map((a) => JSON.stringify(String(a)));
      problems.push(`${command} takes no positional argument (got ${args.join(', ')}): pass options as flags (${listing || 'it has none'})`);
      continue;
    }
    const near = closestName(key, known);
    const meant = near && (value === false && props[near]!.type === 'boolean' ? `--no-${flagOf(near).slice(2)}` : flagOf(near));
    const hint = meant ? `did you mean ${meant}?` : listing ? `${command} takes ${listing}` : `${command} takes no options`;
    if (key in fromTarget) {
      problems.push(
        `${command}: unknown option "${key}" in the target's options (project.json or targetDefaults in nx.json): ${near ? `did you mean "${near}"?` : hint}`,
      );
    } else {
      problems.push(`${command}: unknown flag ${typedFlag(key, value)}: ${hint}`);
    }
  }

  for (const name of check.required ?? []) {
    if (options[name] === undefined) {
      const what = (props[name]?.description ?? '').replace(/^Required\.\s*/, '').split(/(?<=\.)\s/)[0];
      problems.push(`${command} needs ${flagOf(name)}${what ? ` (${what.replace(/\.$/, '')})` : ''}`);
    }
  }

  const versions = check.versions ?? ['version'];
  for (const [key, value] of given) {
    const p = props[key];
    if (!p) continue;
    const flag = flagOf(key);
    if (!typeMatches(p, value)) {
      problems.push(`${flag}: expected a ${[p.type].flat().join(' or ')}, got ${JSON.stringify(value)}`);
      continue;
    }
    if (p.enum && !p.enum.includes(value)) {
      problems.push(`${flag}=${String(value)} is not allowed: use one of ${p.enum.map((e) => `${flag}=${String(e)}`).join(', ')}`);
      continue;
    }
    if (typeof value !== 'string') continue;
    if (value.trim() === '' && p.default !== '') {
      problems.push(`${flag}= is empty: ${EMPTY_HINTS[key] ?? `give a value (${flag}=...), or leave the flag out for its default`}`);
      continue;
    }
    if (isDateOption(p)) {
      const bad = dateProblem(flag, value);
      if (bad) problems.push(bad);
    } else if (versions.includes(key) && !validSemver(value)) {
      problems.push(`${flag}=${value} is not a version: write it as X.Y.Z (semver, e.g. ${flag}=5.0.1)`);
    }
  }
  return problems;
}

/** `release:cut` (the target being run), from the executor context. */
export function commandOf(executor: string, context: ExecutorContext | undefined): string {
  return `${context?.projectName ?? 'release'}:${context?.targetName ?? executor}`;
}

const NOTHING_DONE = 'Nothing was done.';

/**
 * For executors: prints every problem with the options (`error: ...`) and
 * returns true when there is one, so the executor returns `{ success: false }`
 * before doing anything.
 */
export function refuseBadOptions(
  executor: string,
  options: object,
  schema: OptionsSchema,
  context?: ExecutorContext,
  check: Omit<CheckOptions, 'fromTarget'> = {},
): boolean {
  const command = commandOf(executor, context);
  const fromTarget = { ...(context?.target?.options ?? {}) } as Record<string, unknown>;
  const problems = optionProblems(command, options as Record<string, unknown>, schema, { ...check, fromTarget });
  if (problems.length === 0) return false;
  const { err } = executorOutput();
  for (const p of problems) err(`error: ${p}`);
  err(NOTHING_DONE);
  return true;
}

export class OptionsError extends Error {
  override name = 'OptionsError';
}

/** For generators: throws one error listing every problem (Nx prints it and writes nothing). */
export function assertGeneratorOptions(generator: string, options: object, schema: OptionsSchema, check: Omit<CheckOptions, 'fromTarget'> = {}): void {
  const command = `crate-train:${generator}`;
  const problems = optionProblems(command, options as Record<string, unknown>, schema, check).map((p) => (p.startsWith(command) ? p : `${command}: ${p}`));
  if (problems.length) throw new OptionsError(`${problems.join('\n')}\n${NOTHING_DONE}`);
}
