// Registry tokens go only to their own registry, and a rejected one is met once. The
// local registry records every request's headers: it is the "foreign host" that must
// never see crates.io's token.
import { removeTempDirs } from '@crate-train/testing';
import { formatEvent, formatSummary, publishWorkspace } from './index';
import { RegistryTokenError, type PublishEvent } from './scheduler';
import { type PublishWorkspaceOptions } from './publish-workspace';
import { publishableSample, registryFixture, type RegistryFixture } from './testing/e2e-support';

afterAll(removeTempDirs);

const CRATES_IO_TOKEN = 'cio_crates_io_token_never_for_local_0123456789';

function options(fx: RegistryFixture, root: string, env: NodeJS.ProcessEnv, extra: Partial<PublishWorkspaceOptions> = {}): PublishWorkspaceOptions {
  return { workspaceRoot: root, registry: 'local', env, pollIntervalMs: 50, backoffMs: 100, concurrency: 4, rateLimits: 'none', ...extra };
}

/** fx.env without the local registry's token. */
function envWithout(fx: RegistryFixture, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CARGO_REGISTRIES_LOCAL_TOKEN: _local, CARGO_REGISTRY_TOKEN: _io, ...rest } = fx.env;
  return { ...rest, ...extra };
}

const headersSeen = (fx: RegistryFixture) =>
  fx.registry
    .requests()
    .map((r) => JSON.stringify(r.headers))
    .join('\n');
const puts = (fx: RegistryFixture) => fx.registry.requests().filter((r) => r.method === 'PUT' && r.url.startsWith('/api/v1/crates/new'));

describe('registry tokens', () => {
  let fx: RegistryFixture;
  beforeEach(async () => {
    fx = await registryFixture({ rateLimit: false, recordRequests: true });
  });
  afterEach(() => fx.stop());

  it('CARGO_REGISTRY_TOKEN is crates.io’s: publishing to `local` with only it refuses, naming the variable to set, and `local` never sees it', async () => {
    const root = publishableSample();
    const env = envWithout(fx, { CARGO_REGISTRY_TOKEN: CRATES_IO_TOKEN });
    // A dry run asks the registry what it has, without any credential.
    const dry = await publishWorkspace(options(fx, root, env, { dryRun: true }));
    expect(dry.report.crates.every((c) => c.outcome === 'would-publish')).toBe(true);
    await expect(publishWorkspace(options(fx, root, env))).rejects.toThrow(
      'no token for registry `local`: set CARGO_REGISTRIES_LOCAL_TOKEN in the environment — crate-train never takes a token on the command line (CARGO_REGISTRY_TOKEN is set, but belongs to another registry: a token goes only to its own registry, as with cargo)',
    );
    expect(fx.registry.requests().length).toBeGreaterThan(0);
    expect(fx.registry.requests().filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(headersSeen(fx)).not.toContain(CRATES_IO_TOKEN);
    expect(fx.registry.uploadAttempts().size).toBe(0);
  });

  it('with both tokens set, every upload to `local` carries its own token and never crates.io’s', async () => {
    const root = publishableSample();
    const env = { ...fx.env, CARGO_REGISTRY_TOKEN: CRATES_IO_TOKEN, CARGO_REGISTRIES_OTHER_TOKEN: 'other-registry-token-42' };
    const { report } = await publishWorkspace(options(fx, root, env));
    expect(report.ok).toBe(true);
    expect(puts(fx)).toHaveLength(11);
    expect(puts(fx).every((r) => r.headers.authorization === fx.registry.token)).toBe(true);
    expect(headersSeen(fx)).not.toContain(CRATES_IO_TOKEN);
    expect(headersSeen(fx)).not.toContain('other-registry-token-42');
  });

  it('a rejected token is met once, by the first upload: one error naming the variable and the fix, nothing uploaded', async () => {
    const root = publishableSample();
    const wrong = 'crt_wrong_token_0123456789abcdef';
    const events: PublishEvent[] = [];
    const err = await publishWorkspace(options(fx, root, { ...fx.env, CARGO_REGISTRIES_LOCAL_TOKEN: wrong }, { onEvent: (e) => events.push(e) })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RegistryTokenError);
    expect(err!.message).toBe(
      'registry `local` rejected the token in CARGO_REGISTRIES_LOCAL_TOKEN (403 Forbidden: this action requires authentication) — set CARGO_REGISTRIES_LOCAL_TOKEN to a valid token for `local` that may publish these crates, then run publish again; nothing was uploaded',
    );
    expect(err!.message).not.toContain(wrong);
    // One upload request, not one per crate; no per-crate failure lines.
    expect(puts(fx)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'upload-start')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'failed' || e.type === 'skipped' || e.type === 'token-rejected')).toEqual([]);
    expect(fx.registry.uploadAttempts().size).toBe(0);
  });

  it('a token revoked mid-run: no new upload starts, those in flight finish, the summary says what was uploaded and to re-run; the re-run resumes', async () => {
    const root = publishableSample();
    const lines: string[] = [];
    let uploaded = 0;
    const { report } = await publishWorkspace(
      options(fx, root, fx.env, {
        concurrency: 2,
        onEvent: (e) => {
          const l = formatEvent(e);
          if (l) lines.push(l);
          if (e.type === 'uploaded' && ++uploaded === 3) fx.registry.setToken('crt_rotated_token');
        },
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.stopped).toMatchObject({ reason: 'token-rejected' });
    expect(report.stopped!.notStarted.length).toBeGreaterThan(0);
    expect(report.uploaded.length).toBeGreaterThanOrEqual(3);
    expect(report.uploaded.length + report.stopped!.notStarted.length).toBe(11);
    // Said once, with the variable.
    expect(lines.filter((l) => l.includes('rejected the token'))).toEqual([
      expect.stringMatching(
        /^registry `local` rejected the token in CARGO_REGISTRIES_LOCAL_TOKEN \(403 Forbidden: this action requires authentication\): no new uploads start/,
      ),
    ]);
    const summary = formatSummary(report);
    expect(summary).toContain('stopped: registry `local` rejected the token in CARGO_REGISTRIES_LOCAL_TOKEN');
    expect(summary).toContain(`uploaded in this run: ${report.uploaded.join(', ')}`);
    expect(summary).toContain(`not started: ${report.stopped!.notStarted.join(', ')}`);
    expect(summary).toContain('re-run to resume: versions already on the registry are skipped');
    expect(fx.registry.uploads().size).toBe(report.uploaded.length);

    const again = await publishWorkspace(options(fx, root, { ...fx.env, CARGO_REGISTRIES_LOCAL_TOKEN: 'crt_rotated_token' }));
    expect(again.report.ok).toBe(true);
    expect(fx.registry.uploads().size).toBe(11);
    for (const [key, n] of fx.registry.uploadAttempts()) expect([key, n]).toEqual([key, 1]);
  });
});
