// Every check before the first upload: `cargo package` of every crate that will
// upload, the way `cargo publish` packages it (same registry, same dirty-tree rule),
// so what would stop `cargo publish` halfway through a release — uncommitted changes,
// a missing readme or license file, a registry the crate may not go to, a package
// over the registry's size limit — stops it while nothing is uploaded, naming each
// crate, the cause and the fix.
//
// `--exclude-lockfile` makes packaging resolve nothing: the crates of the release are
// not on the registry yet, and nothing needs the network (`--offline`). One cargo run
// per CPU packages them all, each a share; only in a share that fails does each crate
// get its own run, so every problem is named, not just the first one cargo meets.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { redact } from '@crate-train/proc';
import { withoutRegistryTokens, type ResolvedRegistry } from './cargo-config';
import { cargoNetConfig, resolveCargoBinary } from './cargo-publish';
import { mapLimit } from './map-limit';
import { crateFileIn, type PackagedCrates } from './packaging';
import type { PlanCrate } from './plan';

export interface PreflightProblem {
  crate: string;
  version: string;
  /** What is wrong (cargo's words, paths relative to the workspace root). */
  cause: string;
  /** What to do about it. */
  fix: string;
}

/** The preflight found problems: nothing was uploaded. */
export class PublishPreflightError extends Error {
  constructor(readonly problems: PreflightProblem[]) {
    super(formatProblems(problems));
    this.name = 'PublishPreflightError';
  }
}

function formatProblems(problems: PreflightProblem[]): string {
  const crates = new Set(problems.map((p) => p.crate));
  const lines = [`publish stopped before the first upload: ${crates.size} crate${crates.size === 1 ? '' : 's'} cannot be published, so nothing was uploaded`];
  // The same cause for many crates (cargo cannot load the workspace, say) is said once.
  const groups = new Map<string, PreflightProblem[]>();
  for (const p of problems) {
    const k = `${p.cause}\u0000${p.fix}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  for (const g of groups.values()) {
    const who = g.map((p) => `${p.crate} ${p.version}`);
    const shown = who.length <= 6 ? who.join(', ') : `${who.slice(0, 6).join(', ')} and ${who.length - 6} more`;
    lines.push(`  - ${shown}: ${g[0].cause} — ${g[0].fix}`);
  }
  lines.push('Fix these and run publish again; crates already on the registry are skipped.');
  return lines.join('\n');
}

/** Checks the crates that will upload; resolves to the problems found ([] = go). */
export type Preflight = (crates: readonly PlanCrate[], signal?: AbortSignal) => Promise<PreflightProblem[]>;

export interface CargoPreflightOptions {
  workspaceRoot: string;
  registry: ResolvedRegistry;
  /** The .crate files go under `<stateDir>/preflight`. */
  stateDir: string;
  /** Package a dirty tree as it is (`--allow-dirty`), as the upload will. */
  allowDirty?: boolean;
  /** Environment for cargo (CARGO_HOME, ...); registry tokens are removed: packaging needs none. */
  env?: NodeJS.ProcessEnv;
  /** The cargo binary; default the toolchain's own. */
  cargo?: string;
  /** Largest `.crate` the registry accepts; undefined = not checked. crates.io: 10 MiB. */
  maxCrateBytes?: number;
  /** cargo runs at once when each crate is packaged on its own. Default 4. */
  concurrency?: number;
  /** Kill a cargo package that runs longer. Default 5 min. */
  timeoutMs?: number;
  /** cargo runs sharing the checks. Default one per CPU (at most 8), at most one per 10 crates. */
  checkRuns?: number;
  /**
   * Also make the packages to upload (the direct uploader): one more `cargo package`
   * run, with the lockfiles, online, exactly as `cargo publish --workspace` packages,
   * started once the checks pass and left running in the background; each package is
   * recorded here as soon as cargo has written it (dependencies first), so the first
   * waves upload while the rest is packaged. Not started when the checks find a problem.
   */
  packaged?: PackagedCrates;
  /** cargo's `http.timeout` (s) and `net.retry` for packaging that reads the registry. */
  httpTimeoutSecs?: number;
  netRetry?: number;
}

/** crates.io refuses a `.crate` over 10 MiB. */
export const CRATES_IO_MAX_CRATE_BYTES = 10 * 1024 * 1024;

interface CargoRun {
  code: number | null;
  stderr: string;
}

/** One cargo run; killed when it outlives `timeoutMs` or when `signal` aborts. */
function runCargo(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<CargoRun> {
  return new Promise((resolveRun) => {
    if (signal?.aborted) return resolveRun({ code: null, stderr: 'error: cargo package not started (stopped)' });
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, timeoutMs);
    timer.unref();
    signal?.addEventListener('abort', kill, { once: true });
    const settle = (run: CargoRun) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolveRun(run);
    };
    child.on('error', (e) => settle({ code: null, stderr: `error: cannot run cargo: ${e.message}` }));
    child.on('close', (code) =>
      settle({ code, stderr: code === null && !stderr ? `error: cargo package did not finish within ${timeoutMs} ms (killed)` : stderr }),
    );
  });
}

const manifestOf = (c: PlanCrate) => (c.root === '.' || c.root === '' ? 'Cargo.toml' : `${c.root}/Cargo.toml`);

/** Cargo's error, on one line, from its first `error:` line, with the workspace root's paths made relative. */
function cargoCause(stderr: string, root: string): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd());
  const first = lines.findIndex((l) => /^error\b/.test(l.trim()));
  const relevant = (first >= 0 ? lines.slice(first) : lines.slice(-8))
    .map((l) => l.trim())
    .filter((l) => l && !/^(error: failed to prepare local package for uploading|Caused by:|Packaging |Packaged |Updating |Blocking )/.test(l));
  return relevant
    .join(' ')
    .replace(/^error:\s*/, '')
    .split(`${root}/`)
    .join('')
    .split(root)
    .join('.')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 600);
}

/** What went wrong for one crate and how to fix it, from cargo's stderr (undefined: not a problem of this crate). */
export function diagnosePackageFailure(
  c: PlanCrate,
  stderr: string,
  ctx: { root: string; registry: string; alsoPublished: ReadonlySet<string>; lockfileResolved: boolean },
): PreflightProblem | undefined {
  const manifest = manifestOf(c);
  const base = { crate: c.name, version: c.version };
  const dirty =
    /(\d+) files? in the working directory contains? changes that were not yet committed into git:\s*\n([\s\S]*?)\n\s*\n?\s*to proceed despite/.exec(stderr);
  if (dirty) {
    const files = dirty[2]
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((f) => f.replace(/ \(dirty\)$/, ''));
    const shown = files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more`;
    return { ...base, cause: `uncommitted changes in ${shown}`, fix: 'commit them, or pass --allow-dirty to publish the working files as they are' };
  }
  const missingFile = /(readme|license-file) `([^`]+)` does not appear to exist/.exec(stderr);
  if (missingFile) {
    const key = missingFile[1];
    const file = c.root === '.' || c.root === '' ? missingFile[2] : `${c.root}/${missingFile[2]}`;
    return {
      ...base,
      cause: `${key} \`${missingFile[2]}\` does not exist (${file})`,
      fix: `add ${file}, or point \`${key}\` in ${manifest} at a file that exists`,
    };
  }
  if (/is not listed in the `package\.publish` value|cannot be published\.\s*`package\.publish`|`package\.publish` is set to `false`/.test(stderr)) {
    return {
      ...base,
      cause: `${manifest} does not allow publishing to \`${ctx.registry}\` (\`package.publish\`)`,
      fix: `add "${ctx.registry}" to \`publish\` in ${manifest}, or publish to a registry it lists`,
    };
  }
  const dep = /no matching package named `([^`]+)` found|failed to select a version for the requirement `([^`= ]+)/.exec(stderr);
  if (dep) {
    const name = dep[1] ?? dep[2];
    // Packaging with a lockfile resolves against the registry, where the crates of this
    // release are not yet: that is for the upload to wait on, not a problem.
    if (ctx.lockfileResolved && ctx.alsoPublished.has(name)) return undefined;
    return {
      ...base,
      cause: `its dependency \`${name}\` cannot be resolved on \`${ctx.registry}\`: ${cargoCause(stderr, ctx.root)}`,
      fix: `publish \`${name}\` first or fix the requirement in ${manifest}`,
    };
  }
  return {
    ...base,
    cause: `cargo package failed: ${cargoCause(stderr, ctx.root) || `exit code unknown`}`,
    fix: `fix what cargo reports (\`cargo package -p ${c.name} --no-verify\` shows it in full), then run publish again`,
  };
}

/** A Preflight that runs `cargo package` (no upload, no network, no token). */
export function cargoPackagePreflight(opts: CargoPreflightOptions): Preflight {
  const root = resolve(opts.workspaceRoot);
  const env: NodeJS.ProcessEnv = {
    ...withoutRegistryTokens({ ...process.env, ...opts.env }),
    CARGO_TERM_COLOR: 'never',
    CARGO_TERM_PROGRESS_WHEN: 'never',
    // Packaging with the lockfile reads the registry, as publishing will.
    ...(opts.packaged ? { CARGO_NET_OFFLINE: 'false' } : {}),
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const secrets = opts.registry.token ? [opts.registry.token] : [];
  // Asked now (rustup takes tens of ms), while the caller still connects to the registry.
  const binary = opts.cargo !== undefined ? Promise.resolve(opts.cargo) : resolveCargoBinary(root, env);

  return async (crates, signal) => {
    if (crates.length === 0) return [];
    const bin = await binary;
    const runEnv = bin === 'cargo' ? env : { ...env, PATH: `${dirname(bin)}${delimiter}${env.PATH ?? ''}` };
    // The checks need no network and no lockfile.
    let excludeLockfile = true;
    const args = (targetDir: string, names: string[]) => [
      'package',
      '--no-verify',
      ...(excludeLockfile ? ['--exclude-lockfile', '--offline'] : []),
      ...(opts.registry.passRegistryFlag ? ['--registry', opts.registry.name] : []),
      ...(opts.allowDirty ? ['--allow-dirty'] : []),
      ...cargoNetConfig(opts.httpTimeoutSecs, opts.netRetry),
      '--target-dir',
      targetDir,
      ...names.flatMap((n) => ['-p', n]),
    ];
    const base = join(opts.stateDir, 'preflight');
    const problems: PreflightProblem[] = [];

    // The packages to upload, as `cargo publish` packages: with the lockfile, reading
    // the registry (online); not awaited: each package is handed over as soon as cargo
    // has written it. Started once the checks pass: run beside them, it would slow the
    // checks, which hold back the first upload, for packages needed later.
    const packageForUpload = (packaged: PackagedCrates, some: readonly PlanCrate[], dir: string) =>
      streamPackages(packaged, {
        bin,
        cwd: root,
        env: runEnv,
        timeoutMs,
        dir: join(base, dir),
        crates: some,
        args: (target) => [
          'package',
          '--no-verify',
          ...(opts.registry.passRegistryFlag ? ['--registry', opts.registry.name] : []),
          ...(opts.allowDirty ? ['--allow-dirty'] : []),
          ...cargoNetConfig(opts.httpTimeoutSecs, opts.netRetry),
          '--target-dir',
          target,
          ...some.flatMap((c) => ['-p', c.name]),
        ],
      });

    // The crates that need no other crate of this run (the first wave) are packaged for
    // upload beside the checks: on their own, as the run with every crate would package
    // them, so the first uploads need not wait for that run.
    const inRun = new Set(crates.map((c) => c.name));
    const firstWave = crates.filter((c) => c.deps.every((d) => !inRun.has(d)));
    if (opts.packaged && firstWave.length > 0) packageForUpload(opts.packaged, firstWave, 'upload-first');

    // Without lockfiles the checks resolve nothing, so the crates are independent: one
    // cargo run per CPU, each with a share of them (cargo packages one crate at a time;
    // 193 crates: 1.2 s in one run, 0.8 s in two on 2 CPUs). A cargo too old for
    // --exclude-lockfile resolves on the registry: one run with every crate.
    const checkAll = async (groups: PlanCrate[][]) =>
      Promise.all(
        groups.map((g, i) => {
          const dir = join(base, `all-${i}`);
          mkdirSync(dir, { recursive: true });
          return runCargo(
            bin,
            args(
              dir,
              g.map((c) => c.name),
            ),
            root,
            runEnv,
            timeoutMs,
            signal,
          ).then((r) => ({ ...r, dir, crates: g }));
        }),
      );
    let runs = await checkAll(shares(crates, opts.checkRuns ?? Math.min(availableParallelism(), 8, Math.floor(crates.length / 10))));
    if (runs.some((r) => r.code !== 0) && !signal?.aborted && runs.some((r) => /--exclude-lockfile/.test(r.stderr))) {
      excludeLockfile = false;
      runs = await checkAll([[...crates]]);
    }
    const packagedIn = new Map<string, string>(runs.flatMap((r) => (r.code === 0 ? r.crates.map((c) => [c.name, r.dir] as const) : [])));
    const failedShare = runs.flatMap((r) => (r.code === 0 ? [] : r.crates));
    if (failedShare.length > 0 && !signal?.aborted) {
      // Each crate of a share that failed on its own, to name every problem.
      const names = new Set(crates.map((c) => c.name));
      await mapLimit(
        failedShare,
        Math.max(1, opts.concurrency ?? 4),
        async (c, slot) => {
          const dir = join(base, `slot-${slot}`);
          mkdirSync(dir, { recursive: true });
          const r = await runCargo(bin, args(dir, [c.name]), root, runEnv, timeoutMs, signal);
          if (r.code === 0) {
            packagedIn.set(c.name, dir);
            return;
          }
          const p = diagnosePackageFailure(c, redact(r.stderr, secrets), {
            root,
            registry: opts.registry.name,
            alsoPublished: names,
            lockfileResolved: !excludeLockfile,
          });
          if (p) problems.push(p);
        },
        signal,
      );
    }

    if (opts.maxCrateBytes !== undefined) {
      for (const c of crates) {
        const dir = packagedIn.get(c.name);
        if (!dir) continue;
        let bytes: number;
        try {
          bytes = statSync(join(dir, 'package', `${c.name}-${c.version}.crate`)).size;
        } catch {
          continue;
        }
        if (bytes > opts.maxCrateBytes) {
          problems.push({
            crate: c.name,
            version: c.version,
            cause: `the package is ${size(bytes)}; \`${opts.registry.name}\` accepts at most ${size(opts.maxCrateBytes)}`,
            fix: `leave files out with \`include\` or \`exclude\` in ${manifestOf(c)} (\`cargo package --list -p ${c.name}\` shows what goes in)`,
          });
        }
      }
    }
    const order = new Map(crates.map((c, i) => [c.name, i]));
    problems.sort((a, b) => order.get(a.crate)! - order.get(b.crate)!);
    // The packages are made only if the checks pass (the uploads wait for them).
    if (problems.length > 0 || signal?.aborted) opts.packaged?.stop();
    else if (opts.packaged && firstWave.length < crates.length) packageForUpload(opts.packaged, crates, 'upload');
    return problems;
  };
}

/** `n` shares of `crates` (at least one), dealt in turn so each gets crates of every wave. */
function shares(crates: readonly PlanCrate[], n: number): PlanCrate[][] {
  const out: PlanCrate[][] = Array.from({ length: Math.max(1, n) }, () => []);
  crates.forEach((c, i) => out[i % out.length].push(c));
  return out;
}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);

/**
 * One `cargo package` run for the uploads, in the background. cargo writes each
 * package under `package/tmp-crate/` in dependency order and moves them all to
 * `package/` only at the end; each is complete when cargo says "Packaged", so it is
 * copied out then and handed to `packaged` at once: the first waves upload while
 * cargo packages the rest.
 */
function streamPackages(
  packaged: PackagedCrates,
  o: { bin: string; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; dir: string; crates: readonly PlanCrate[]; args: (target: string) => string[] },
): void {
  const target = join(o.dir, 'target');
  const out = join(o.dir, 'crates');
  mkdirSync(out, { recursive: true });
  packaged.started();
  const wanted = new Map(o.crates.map((c) => [c.name, c.version]));
  // Leftovers of an earlier run must not pass for this run's packages.
  for (const c of o.crates) {
    rmSync(crateFileIn(target, c.name, c.version), { force: true });
    rmSync(join(target, 'package', 'tmp-crate', `${c.name}-${c.version}.crate`), { force: true });
  }
  // A stopped packaging that ends after a new one started must not touch the new one's files.
  const own = packaged.stopSignal;
  const take = (name: string, version: string, from: string): boolean => {
    if (packaged.stopSignal !== own || wanted.get(name) !== version || packaged.get(name, version) || !existsSync(from)) return false;
    const to = join(out, `${name}-${version}.crate`);
    try {
      copyFileSync(from, to);
    } catch {
      return false;
    }
    packaged.set(name, version, to);
    return true;
  };
  const child = spawn(o.bin, o.args(target), { cwd: o.cwd, env: o.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = () => child.kill('SIGKILL');
  own.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(stop, o.timeoutMs);
  timer.unref();
  let current: { name: string; version: string } | undefined;
  let buf = '';
  child.stderr.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const packaging = /^\s*Packaging (\S+) v(\S+)/.exec(line);
      if (packaging) current = { name: packaging[1], version: packaging[2] };
      else if (current && /^\s*Packaged \d+ files?/.test(line)) {
        take(current.name, current.version, join(target, 'package', 'tmp-crate', `${current.name}-${current.version}.crate`));
        current = undefined;
      }
    }
  });
  let ended = false;
  const done = (ok: boolean) => {
    if (ended) return; // 'error' and 'close' may both come
    ended = true;
    clearTimeout(timer);
    own.removeEventListener('abort', stop);
    if (packaged.stopSignal !== own) return;
    // A success moved every package to package/: the last ones may not have been taken yet.
    if (ok) for (const c of o.crates) take(c.name, c.version, crateFileIn(target, c.name, c.version));
    packaged.finished();
  };
  child.on('error', () => done(false));
  child.on('close', (code) => done(code === 0));
}
