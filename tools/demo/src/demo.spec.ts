import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as semver from 'semver';
import { git, SAMPLE_CRATES } from '@crate-train/testing';
import { startLocalRegistry } from '@crate-train/local-registry';
import { runDemo, type DemoResult } from './demo';
import { reverseClosure, summarizeGraph, type NxGraphFile } from './graph-summary';
import { trimNxOutput } from './report';
import { shellQuote } from './shell';
import { DemoState, SkipStep } from './state';

// The README's first command, run in a temp dir: the outcomes are read back
// from the bare origin and the registry's storage (restarted), not from the
// demo's text.

const MARKER = '[automatically-tag-and-release-this-commit]';
const UNPUBLISHED = new Set(['wasmtime-c-api', 'wasmtime-test-util']);

describe('the demo: one monthly cycle on the embedded default', () => {
  let dir: string;
  let origin: string;
  let result: DemoResult;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crate-train-demo-'));
    writeFileSync(join(dir, 'stale-from-an-earlier-run'), 'x');
    result = await runDemo({ dir, write: (l) => printed.push(l), cwd: dir, keep: true });
    origin = join(dir, 'origin.git');
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const isAncestor = (a: string, b: string) =>
    git(origin, 'merge-base', '--is-ancestor', a, b).then(
      () => true,
      () => false,
    );

  it('runs every step, wiping the directory first', () => {
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.n, s.status])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [n, 'done']));
    expect(existsSync(join(dir, 'stale-from-an-earlier-run'))).toBe(false);
  });

  it('cut release-5.0.0 and moved main to 6.0.0 through the merged bump PR', async () => {
    expect(await git(origin, 'rev-parse', '--verify', 'refs/heads/release-5.0.0')).toMatch(/^[0-9a-f]{40}$/);
    expect(await isAncestor('refs/heads/ci/bump-to-6.0.0', 'refs/heads/main')).toBe(true);
    expect(await git(origin, 'show', 'main:Cargo.toml')).toContain('[workspace.package]\nversion = "6.0.0"');
    expect(await git(origin, 'show', 'main:RELEASES.md')).toMatch(/## 6\.0\.0\n\nUnreleased\.[^]*## 5\.0\.0\n\nReleased \d{4}-\d{2}-\d{2}\n/);
  });

  it('merged every PR the train opened, each into the right branch', async () => {
    expect(result.pulls.map((p) => [p.head, p.base, p.merged])).toEqual([
      ['ci/bump-to-6.0.0', 'main', true],
      ['ci/release-date-for-5.0.0', 'main', true],
      ['ci/release-5.0.0', 'release-5.0.0', true],
      ['ci/bump-to-5.0.1', 'release-5.0.0', true],
    ]);
    for (const p of result.pulls) expect(await isAncestor(`refs/heads/${p.head}`, `refs/heads/${p.base}`)).toBe(true);
  });

  it('tagged v5.0.0 and v5.0.1 at the merges of the marker commits, with the backports in them', async () => {
    const v500 = await git(origin, 'rev-parse', 'v5.0.0^{commit}');
    const v501 = await git(origin, 'rev-parse', 'v5.0.1^{commit}');
    expect(result.tags).toEqual({ 'v5.0.0': v500, 'v5.0.1': v501 });
    expect(v501).toBe(await git(origin, 'rev-parse', 'refs/heads/release-5.0.0'));
    expect(await isAncestor(v500, v501)).toBe(true);
    for (const [tag, version] of [
      ['v5.0.0', '5.0.0'],
      ['v5.0.1', '5.0.1'],
    ]) {
      expect(await git(origin, 'show', `${tag}:Cargo.toml`)).toContain(`[workspace.package]\nversion = "${version}"`);
      expect(await git(origin, 'log', '-1', '--format=%B', `${tag}^2`)).toBe(`Release Wasmtime ${version}\n\n${MARKER}`);
      expect(await git(origin, 'show', `${tag}:RELEASES.md`)).toMatch(new RegExp(`## ${version.replace(/\./g, '\\.')}\\n\\nReleased \\d{4}-\\d{2}-\\d{2}\\.`));
    }
    const notes500 = await git(origin, 'show', 'v5.0.0:RELEASES.md');
    expect(notes500.slice(0, notes500.indexOf('## 4.0.0'))).toContain('Fix a crash when a store is dropped during an async call.');
    const notes501 = await git(origin, 'show', 'v5.0.1:RELEASES.md');
    expect(notes501.slice(0, notes501.indexOf('## 5.0.0'))).toContain('Fix a miscompile of i64 rotates on x86-64.');
  });

  it('published both releases of every published crate to the registry; the re-runs uploaded nothing', async () => {
    expect(result.rerunUploads).toEqual([0, 0]);
    const registry = await startLocalRegistry({ dir: join(dir, 'registry'), rateLimit: false });
    try {
      const want: Record<string, string[]> = {};
      for (const [name, c] of Object.entries(SAMPLE_CRATES)) if (!UNPUBLISHED.has(name)) want[name] = [c.version, semver.inc(c.version, 'patch')!];
      const have: Record<string, string[]> = {};
      for (const name of Object.keys(SAMPLE_CRATES)) {
        const res = await fetch(`${registry.url}/api/v1/crates/${name}/versions`);
        if (res.status === 404) continue;
        const body = (await res.json()) as { versions: Array<{ num: string }> };
        have[name] = body.versions.map((v) => v.num).sort(semver.compare);
      }
      expect(have).toEqual(want);
      expect(result.published).toEqual(want);
      // Downloadable, as cargo would fetch it.
      const dl = await fetch(`${registry.url}/api/v1/crates/wasmtime/5.0.1/download`);
      expect(dl.status).toBe(200);
      expect((await dl.arrayBuffer()).byteLength).toBeGreaterThan(100);

      // No token reached the output: neither the registry's nor a GitHub one.
      const text = printed.join('\n');
      expect(text).not.toContain(registry.token);
      expect(text).not.toMatch(/ghp_demo[0-9a-f]{8}/);
    } finally {
      await registry.stop();
    }
  });

  it("leaves the maintainer's clone clean, on main, for inspection", async () => {
    const ws = join(dir, 'wasmtime');
    expect(await git(ws, 'status', '--porcelain')).toBe('');
    expect(await git(ws, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(existsSync(join(dir, 'graph.json'))).toBe(true);
  });
});

describe('the demo when a step fails', () => {
  it('stops, says which step and command failed with its output, and reports not ok', async () => {
    const printed: string[] = [];
    // A directory that cannot be created (its parent is a file): step 1 fails before anything starts.
    const parent = mkdtempSync(join(tmpdir(), 'crate-train-demo-fail-'));
    writeFileSync(join(parent, 'a-file'), '');
    const result = await runDemo({ dir: join(parent, 'a-file', 'demo'), quiet: true, write: (l) => printed.push(l) });
    rmSync(parent, { recursive: true, force: true });
    expect(result.ok).toBe(false);
    expect(result.failure?.step).toBe('1. Setup: sample workspace, git origin, crate registry, GitHub stand-in');
    expect(result.failure?.output).toMatch(/ENOTDIR/);
    expect(result.steps.map((s) => s.status)).toEqual(['failed']);
    const text = printed.join('\n');
    expect(text).toContain('✘ step 1. Setup');
    expect(text).toContain('command: ');
  });
});

describe('demo helpers', () => {
  const graph: NxGraphFile = {
    graph: {
      nodes: {
        a: { name: 'a', data: { root: 'a', metadata: { crate: { dependencies: { dev: ['t'] } } } } },
        b: { name: 'b', data: { root: 'b', metadata: { crate: { dependencies: { normal: ['a'] } } } } },
        c: { name: 'c', data: { root: 'c', metadata: { crate: { dependencies: { build: ['b'] } } } } },
        t: { name: 't', data: { root: 't', metadata: { crate: { dependencies: { normal: ['a'] } } } } },
        x: { name: 'x', data: { root: 'x', metadata: { crate: {} } } },
        release: { name: 'release', data: { root: 'scripts' } },
      },
      dependencies: { a: [{ source: 'a', target: 't', type: 'static' }], b: [], c: [], t: [], x: [], release: [] },
    },
  };

  it('sums up the graph by Cargo edge kind and finds dev-dependency cycles and reverse closures', () => {
    const s = summarizeGraph(graph);
    expect(s.crates.map((c) => c.name)).toEqual(['a', 'b', 'c', 't', 'x']);
    expect(s.others).toEqual(['release']);
    expect(s.edgesByKind).toEqual({ normal: 2, build: 1, dev: 1 });
    expect(s.devCycles).toEqual([['a', 't']]);
    expect(reverseClosure(s, 'a')).toEqual(['a', 'b', 'c', 't']);
    expect(reverseClosure(s, 'b')).toEqual(['b', 'c']);
    expect(reverseClosure(s, 'x')).toEqual(['x']);
  });

  it("trims Nx's decoration and keeps the executor's lines", () => {
    const out = ['', '> nx run release:tag', '', 'tag v1.0.0 created', '', '', '—————————————————', '', ' NX   Successfully ran target tag', ''].join('\n');
    expect(trimNxOutput(out)).toEqual(['tag v1.0.0 created', '', 'NX  Successfully ran target tag']);
  });

  it('quotes arguments as a person would type them', () => {
    expect(shellQuote('--text=Fix a crash.')).toBe('--text="Fix a crash."');
    expect(shellQuote('Backport: a "b"')).toBe('"Backport: a \\"b\\""');
    expect(shellQuote('--pr=5501')).toBe('--pr=5501');
  });

  it('skips a step whose executor the built plugin lacks, saying so', () => {
    const state = new DemoState({ dir: '/nowhere' } as never, {} as never, { targets: new Set(['cut']), generators: new Set() });
    expect(() => state.needTarget('cut')).not.toThrow();
    expect(() => state.needTarget('publish')).toThrow(SkipStep);
    expect(() => state.needTarget('publish')).toThrow('skipped: nx run release:publish not implemented yet');
    expect(() => state.needGenerator('release-note')).toThrow('skipped: nx g crate-train:release-note not implemented yet');
    expect(() => state.needState(undefined, 'the backport', 'needs the release branch from step 4')).toThrow(
      'skipped: the backport needs the release branch from step 4',
    );
  });
});
