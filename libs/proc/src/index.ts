export { run, type RunResult, CommandError } from './run';
export { redact } from './redact';
