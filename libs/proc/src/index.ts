export { run, type RunOptions, type RunResult, CommandError } from './run';
export { redact } from './redact';
