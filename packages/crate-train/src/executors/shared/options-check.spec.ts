import { closestName, editDistance } from '../../closest-name';
import { dateProblem, flagOf, optionProblems } from './options-check';
import cutSchema from '../cut/schema.json';
import publishSchema from '../publish/schema.json';

describe('option checks (the helper every executor and generator calls first)', () => {
  it('spells schema options as flags', () => {
    expect(flagOf('dryRun')).toBe('--dry-run');
    expect(flagOf('skipPackage')).toBe('--skip-package');
    expect(flagOf('push')).toBe('--push');
  });

  it('finds the flag meant by another spelling or a typo, and nothing for an unrelated word', () => {
    const publish = Object.keys(publishSchema.properties);
    expect(closestName('dryrun', publish)).toBe('dryRun');
    expect(closestName('dry_run', publish)).toBe('dryRun');
    expect(closestName('DryRun', publish)).toBe('dryRun');
    expect(closestName('concurency', publish)).toBe('concurrency');
    expect(closestName('registy', publish)).toBe('registry');
    expect(closestName('alowDirty', publish)).toBe('allowDirty');
    expect(closestName('frobnicate', publish)).toBeUndefined();
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('says why a date is not a calendar day', () => {
    expect(dateProblem('--date', '2024-02-29')).toBeUndefined();
    expect(dateProblem('--date', '2024-02-30')).toBe('--date=2024-02-30 is not a calendar day (February 2024 has 29 days)');
    expect(dateProblem('--date', '2023-02-29')).toBe('--date=2023-02-29 is not a calendar day (February 2023 has 28 days)');
    expect(dateProblem('--date', '2024-04-31')).toBe('--date=2024-04-31 is not a calendar day (April 2024 has 30 days)');
    expect(dateProblem('--date', '2024-13-01')).toBe('--date=2024-13-01 is not a calendar day (the month 13 does not exist: months are 01 to 12)');
    expect(dateProblem('--date', '2024-2-3')).toBe('--date=2024-2-3 is not a date: write it as YYYY-MM-DD (e.g. --date=2024-02-29)');
  });

  it('lists every problem at once: unknown flags, positionals, empty values, bad dates', () => {
    const problems = optionProblems('release:cut', { dryrun: true, _: ['now'], date: '2024-02-30', push: false }, cutSchema);
    expect(problems).toEqual([
      'release:cut: unknown flag --dryrun: did you mean --dry-run?',
      'release:cut takes no positional argument (got "now"): pass options as flags (--dry-run, --push, --date)',
      '--date=2024-02-30 is not a calendar day (February 2024 has 29 days)',
    ]);
    expect(optionProblems('release:cut', { date: '' }, cutSchema)).toEqual([
      '--date= is empty: give the day (--date=YYYY-MM-DD), or leave the flag out for today (UTC)',
    ]);
    // Nothing to say about good options; undefined counts as not given.
    expect(optionProblems('release:cut', { dryRun: true, push: undefined, date: '2024-02-29' }, cutSchema)).toEqual([]);
  });

  it('names an unrelated unknown flag with the flags the command has', () => {
    expect(optionProblems('release:cut', { frobnicate: true }, cutSchema)).toEqual([
      'release:cut: unknown flag --frobnicate: release:cut takes --dry-run, --push, --date',
    ]);
  });

  it('says where an unknown option set in the target configuration comes from', () => {
    expect(optionProblems('release:cut', { dryrun: true }, cutSchema, { fromTarget: { dryrun: true } })).toEqual([
      'release:cut: unknown option "dryrun" in the target\'s options (project.json or targetDefaults in nx.json): did you mean "dryRun"?',
    ]);
  });
});
