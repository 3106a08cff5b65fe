// The scheduler with a fake registry and uploader: long waits speak (crate, elapsed,
// timeout), the first upload runs alone so a rejected token costs one request, and an
// abort stops new uploads while those in flight finish.
import { formatEvent, formatSummary } from './index';
import { publishPlan, RegistryTokenError, type PublishEvent, type PublishRunOptions } from './scheduler';
import { type UploadOutcome, type UploadRequest } from './cargo-publish';
import type { RegistryApi, SparseIndex } from './client';
import type { PlanCrate, PublishPlan } from './plan';

/** Independent crates (no dependencies between them), one wave. */
function flatPlan(names: string[]): PublishPlan {
  const crates: PlanCrate[] = names.map((name, i) => ({
    name,
    version: '1.0.0',
    root: `crates/${name}`,
    deps: [],
    dependents: [],
    wave: 0,
    chain: 0,
    listIndex: i,
  }));
  return { crates, waves: [names], warnings: [] };
}

interface FakeRegistry {
  index: SparseIndex;
  api: RegistryApi;
  visible: Set<string>;
}

function fakeRegistry(published: string[] = []): FakeRegistry {
  const visible = new Set<string>(published);
  const index = { hasVersion: async (name: string) => visible.has(name) } as unknown as SparseIndex;
  const api = {
    versions: async (name: string) => (published.includes(name) ? [{ num: '1.0.0', yanked: false }] : undefined),
    owners: async () => [],
    addOwners: async () => 'ok',
  } as unknown as RegistryApi;
  return { index, api, visible };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(reg: FakeRegistry, plan: PublishPlan, uploader: (req: UploadRequest) => Promise<UploadOutcome>, extra: Partial<PublishRunOptions> = {}) {
  const events: PublishEvent[] = [];
  const done = publishPlan({
    plan,
    index: reg.index,
    api: reg.api,
    uploader,
    pollIntervalMs: 20,
    backoffMs: 50,
    progressIntervalMs: 50,
    registryName: 'local',
    tokenEnvVar: 'CARGO_REGISTRIES_LOCAL_TOKEN',
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { events, done };
}

const waits = (events: PublishEvent[], on: string) =>
  events.filter((e): e is Extract<PublishEvent, { type: 'still-waiting' }> => e.type === 'still-waiting' && e.on === on);

describe('long waits speak', () => {
  it('waiting for the index: the crate, how long, and the visibility timeout', async () => {
    const reg = fakeRegistry();
    const { events, done } = run(
      reg,
      flatPlan(['slow-index']),
      async (req) => {
        setTimeout(() => reg.visible.add(req.name), 400);
        return { kind: 'uploaded' };
      },
      { visibilityTimeoutMs: 90_000 },
    );
    expect((await done).ok).toBe(true);
    const w = waits(events, 'index');
    expect(w.length).toBeGreaterThan(0);
    expect(w[0]).toMatchObject({ crate: 'slow-index', version: '1.0.0', timeoutMs: 90_000 });
    expect(formatEvent(w[0])).toMatch(/^ {2}slow-index 1\.0\.0: waiting for the index for \d+\.\d s \(gives up after 1 min 30 s\)$/);
    // Elapsed grows from line to line.
    for (let i = 1; i < w.length; i++) expect(w[i].elapsedMs).toBeGreaterThan(w[i - 1].elapsedMs);
  });

  it('waiting to retry: the crate, how long, which attempt of how many, and when', async () => {
    const reg = fakeRegistry();
    let calls = 0;
    const { events, done } = run(
      reg,
      flatPlan(['flaky']),
      async (req) => {
        if (++calls === 1) return { kind: 'transient', message: 'status 500 Internal Server Error', reachedUpload: false };
        reg.visible.add(req.name);
        return { kind: 'uploaded' };
      },
      { backoffMs: 400, maxBackoffMs: 400, maxAttempts: 5 },
    );
    expect((await done).ok).toBe(true);
    const w = waits(events, 'retry');
    expect(w.length).toBeGreaterThan(0);
    expect(w[0]).toMatchObject({ crate: 'flaky', attempt: 2, maxAttempts: 5 });
    expect(formatEvent(w[0])).toMatch(/^ {2}flaky 1\.0\.0: waiting to retry for \d+\.\d s; attempt 2 of 5 at \d\d:\d\d:\d\d\.\d{3}Z \(in \d+\.\d s\)$/);
  });

  it('waiting for the rate limit: the crate, how long, and when the next upload goes', async () => {
    const reg = fakeRegistry();
    let calls = 0;
    const { events, done } = run(reg, flatPlan(['limited']), async (req) => {
      if (++calls === 1) return { kind: 'rate-limited', retryAt: Date.now() + 400, message: '429' };
      reg.visible.add(req.name);
      return { kind: 'uploaded' };
    });
    expect((await done).ok).toBe(true);
    const w = waits(events, 'rate-limit');
    expect(w.length).toBeGreaterThan(0);
    expect(formatEvent(w[0])).toMatch(
      /^ {2}limited 1\.0\.0: waiting for the rate limit for \d+\.\d s; next upload at \d\d:\d\d:\d\d\.\d{3}Z \(in \d+\.\d s\)$/,
    );
  });

  it('a cargo publish that runs long: the crate, how long, and when it is stopped', async () => {
    const reg = fakeRegistry();
    const { events, done } = run(
      reg,
      flatPlan(['big-upload']),
      async (req) => {
        await sleep(400);
        reg.visible.add(req.name);
        return { kind: 'uploaded' };
      },
      { uploadTimeoutMs: 10 * 60_000 },
    );
    expect((await done).ok).toBe(true);
    const w = waits(events, 'upload');
    expect(w.length).toBeGreaterThan(0);
    expect(formatEvent(w[0])).toMatch(/^ {2}big-upload 1\.0\.0: cargo publish running for \d+\.\d s \(stopped after 10 min\)$/);
  });
});

describe('a rejected token', () => {
  it('is met by one upload, not one per crate: the first upload runs alone', async () => {
    const reg = fakeRegistry();
    const calls: string[] = [];
    const { events, done } = run(reg, flatPlan(['a', 'b', 'c', 'd', 'e']), async (req) => {
      calls.push(req.name);
      return { kind: 'unauthorized', message: '401 Unauthorized: invalid token' };
    });
    const err = await done.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RegistryTokenError);
    expect(err!.message).toBe(
      'registry `local` rejected the token in CARGO_REGISTRIES_LOCAL_TOKEN (401 Unauthorized: invalid token) — set CARGO_REGISTRIES_LOCAL_TOKEN to a valid token for `local` that may publish these crates, then run publish again; nothing was uploaded',
    );
    expect(calls).toEqual(['a']);
    expect(events.filter((e) => e.type === 'upload-start')).toHaveLength(1);
  });
});

describe('an interruption (the signal aborts)', () => {
  it('starts no new upload, lets those in flight finish, and the summary says what was uploaded and to re-run', async () => {
    const reg = fakeRegistry(['already']);
    const controller = new AbortController();
    const started: string[] = [];
    const { events, done } = run(
      reg,
      flatPlan(['already', 'a', 'b', 'c', 'd', 'e', 'f']),
      async (req) => {
        started.push(req.name);
        await sleep(100);
        reg.visible.add(req.name);
        return { kind: 'uploaded' };
      },
      {
        concurrency: 2,
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          // Two uploads in flight: Ctrl-C.
          if (e.type === 'upload-start' && e.running === 2 && !controller.signal.aborted) controller.abort('SIGINT');
        },
      },
    );
    const report = await done;
    const inFlight = events.find((e): e is Extract<PublishEvent, { type: 'interrupted' }> => e.type === 'interrupted')!;
    expect(inFlight.reason).toBe('SIGINT');
    expect(inFlight.inFlight).toHaveLength(2);
    expect(formatEvent(inFlight)).toBe(`interrupted (SIGINT): no new uploads start; waiting for ${inFlight.inFlight.join(', ')} in flight`);
    // Everything that started finished its upload; nothing else started.
    expect(report.uploaded.sort()).toEqual([...started].sort());
    expect(started).toEqual(expect.arrayContaining(inFlight.inFlight));
    expect(report.ok).toBe(false);
    expect(report.stopped).toEqual({ reason: 'interrupted', message: 'SIGINT', notStarted: expect.any(Array) });
    expect(report.stopped!.notStarted.length + report.uploaded.length + report.alreadyPublished.length).toBe(7);
    const summary = formatSummary(report);
    expect(summary).toContain('interrupted (SIGINT): no upload started after that; the uploads in flight finished');
    expect(summary).toContain(`uploaded in this run: ${report.uploaded.join(', ')}`);
    expect(summary).toContain(`not started: ${report.stopped!.notStarted.join(', ')}`);
    expect(summary).toContain('re-run to resume: versions already on the registry are skipped');
  });

  it('during the preflight: nothing is uploaded', async () => {
    const reg = fakeRegistry();
    const controller = new AbortController();
    let uploads = 0;
    const { done } = run(
      reg,
      flatPlan(['a', 'b']),
      async () => {
        uploads++;
        return { kind: 'uploaded' };
      },
      {
        signal: controller.signal,
        preflight: async () => {
          controller.abort('SIGTERM');
          return [];
        },
      },
    );
    const report = await done;
    expect(uploads).toBe(0);
    expect(report.stopped).toEqual({ reason: 'interrupted', message: 'SIGTERM', notStarted: ['a', 'b'] });
    expect(formatSummary(report)).toContain('uploaded in this run: nothing');
  });
});

describe('the preflight starts with the registry questions', () => {
  /** A preflight that records each call: the crates it got, and whether it was stopped before it ended. */
  function recordingPreflight(ms: number) {
    const calls: Array<{ crates: string[]; stopped: boolean }> = [];
    const preflight: PublishRunOptions['preflight'] = async (crates, signal) => {
      const call = { crates: crates.map((c) => c.name), stopped: false };
      calls.push(call);
      await sleep(ms);
      call.stopped = !!signal?.aborted;
      return [];
    };
    return { calls, preflight };
  }

  it('a fresh release: one preflight for every crate, started before the registry has answered', async () => {
    const reg = fakeRegistry();
    let answered = 0;
    let callsBeforeAnswers = -1;
    const rec = recordingPreflight(30);
    reg.api.versions = async () => {
      if (answered++ === 0) callsBeforeAnswers = rec.calls.length;
      await sleep(20);
      return undefined;
    };
    const { done } = run(reg, flatPlan(['a', 'b', 'c']), async (req) => (reg.visible.add(req.name), { kind: 'uploaded' }), { preflight: rec.preflight });
    expect((await done).ok).toBe(true);
    expect(rec.calls).toEqual([{ crates: ['a', 'b', 'c'], stopped: false }]);
    expect(callsBeforeAnswers).toBe(1);
  });

  it('a resumed run: the early preflight is stopped and redone for the crates still to upload', async () => {
    const reg = fakeRegistry(['a']);
    const rec = recordingPreflight(30);
    const uploaded: string[] = [];
    const { done } = run(reg, flatPlan(['a', 'b', 'c']), async (req) => (uploaded.push(req.name), reg.visible.add(req.name), { kind: 'uploaded' }), {
      preflight: rec.preflight,
    });
    const report = await done;
    expect(report.ok).toBe(true);
    expect(rec.calls).toEqual([
      { crates: ['a', 'b', 'c'], stopped: true },
      { crates: ['b', 'c'], stopped: false },
    ]);
    expect(uploaded.sort()).toEqual(['b', 'c']);
  });

  it('a dry run packages nothing', async () => {
    const rec = recordingPreflight(1);
    const { done } = run(fakeRegistry(), flatPlan(['a']), async () => ({ kind: 'uploaded' }), { preflight: rec.preflight, dryRun: true });
    await done;
    expect(rec.calls).toEqual([]);
  });
});
