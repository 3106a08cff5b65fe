import { run, CommandError, redact } from './index';

describe('run', () => {
  it('runs a real program and returns its output', async () => {
    const r = await run('git', ['--version']);
    expect(r.stdout).toMatch(/^git version \d+\.\d+/);
    expect(r.exitCode).toBe(0);
  });

  it('throws a CommandError naming the command, exit code and stderr', async () => {
    await expect(run('git', ['no-such-subcommand'])).rejects.toThrow(CommandError);
    await expect(run('git', ['no-such-subcommand'])).rejects.toThrow(/`git no-such-subcommand` exited with 1/);
  });

  it('returns the exit code instead of throwing when reject is false', async () => {
    const r = await run('git', ['no-such-subcommand'], { reject: false });
    expect(r.exitCode).toBe(1);
  });

  it('never prints a secret in its error', async () => {
    const secret = 'ghp_supersecretvalue123';
    const err = await run('git', ['ls-remote', `https://x-access-token:${secret}@127.0.0.1:1/repo.git`], {
      timeoutMs: 20000,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as Error).message).not.toContain(secret);
    expect(redact(`token ${secret} here`, [secret])).toBe('token *** here');
  });
});

describe('run with outputToFiles', () => {
  it('captures all of a large stdout and the stderr, final newline stripped, as with pipes', async () => {
    const script = "process.stdout.write('@'.repeat(300000) + '\\n'); process.stderr.write('oops\\n'); process.exit(3)";
    const r = await run(process.execPath, ['-e', script], { outputToFiles: true, reject: false });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('@'.repeat(300000));
    expect(r.stderr).toBe('oops');
    await expect(run(process.execPath, ['-e', script], { outputToFiles: true })).rejects.toThrow(/exited with 3[^]*oops/);
  });
});
