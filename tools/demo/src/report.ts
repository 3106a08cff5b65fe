// What the demo prints: step headings, the commands it runs with their
// output (indented, Nx's decoration trimmed), one-line outcomes, and the final
// table. Every line passes through redact() with the demo's tokens, so a
// token that leaked into some output would still never reach the terminal.
import { redact } from '@crate-train/proc';

export type StepStatus = 'done' | 'skipped' | 'failed';

export interface StepRecord {
  n: number;
  title: string;
  status: StepStatus;
  /** One line: what changed in the world (branches, PRs, tags, registry). */
  changed: string;
  ms: number;
}

export interface ReporterOptions {
  /** Only headings, outcomes and the summary; no command output. */
  quiet?: boolean;
  write?: (line: string) => void;
  /** Strings never to print (tokens). */
  secrets?: string[];
}

// Nx's decoration around a task's own output: the task banner, rules, blank
// runs. The executors' lines and Nx's one-line results stay.
const NX_NOISE = [
  /^\s*>\s+nx run /,
  /^\s*[—–-]{10,}\s*$/,
  /^\s*NX\s+Running target /,
  /^\s*npm warn /,
  // Node's complaint about the test harness's NO_COLOR + FORCE_COLOR=0 pair.
  /^\(node:\d+\) Warning: The 'NO_COLOR' env is ignored/,
  /^\(Use `node --trace-warnings/,
  /^Hint: run the command with --verbose/,
];

export function trimNxOutput(text: string): string[] {
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  const kept: string[] = [];
  for (const l of lines) {
    if (NX_NOISE.some((re) => re.test(l))) continue;
    if (l === '' && (kept.length === 0 || kept[kept.length - 1] === '')) continue;
    kept.push(l.replace(/^\s*NX\s{2,}/, 'NX  '));
  }
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return kept;
}

export class Reporter {
  readonly steps: StepRecord[] = [];
  private readonly quiet: boolean;
  private readonly sink: (line: string) => void;
  private readonly secrets: string[];

  constructor(opts: ReporterOptions = {}) {
    this.quiet = opts.quiet === true;
    this.sink = opts.write ?? ((line) => process.stdout.write(line + '\n'));
    this.secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  }

  addSecret(secret: string): void {
    if (secret.length >= 4) this.secrets.push(secret);
  }

  /** Always printed. */
  line(text = ''): void {
    for (const l of text.split('\n')) this.sink(redact(l, this.secrets));
  }

  /** Printed unless --quiet. */
  detail(text = ''): void {
    if (!this.quiet) this.line(text);
  }

  heading(n: number, title: string): void {
    this.line('');
    this.line(`━━ ${n}. ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`);
  }

  command(cmd: string): void {
    this.detail(`  $ ${cmd}`);
  }

  output(lines: string[], max = 60): void {
    if (this.quiet) return;
    const shown = lines.length > max ? [...lines.slice(0, max - 5), `… ${lines.length - max + 5} more lines …`, ...lines.slice(-5)] : lines;
    for (const l of shown) this.line(`    │ ${l}`);
  }

  /** An outcome the demo checked itself (not an executor's claim). */
  outcome(text: string): void {
    this.line(`  ✔ ${text}`);
  }

  note(text: string): void {
    this.detail(`  · ${text}`);
  }

  skipped(what: string, why: string): void {
    this.line(`  ⤼ skipped: ${what} ${why}`);
  }

  record(step: StepRecord): void {
    this.steps.push(step);
  }

  /** A plain-text table: columns padded to the widest cell. */
  table(header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ');
    this.line(fmt(header));
    this.line('  ' + widths.map((w) => '─'.repeat(w)).join('  '));
    for (const r of rows) this.line(fmt(r));
  }
}
