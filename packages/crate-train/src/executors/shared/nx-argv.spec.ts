import { setupSampleRepo, runNx, removeTempDirs } from '@crate-train/testing';
import { flagValue, nxArgsOf } from './nx-argv';

describe('nx command line flags', () => {
  it('finds the nx arguments and a flag in both spellings, stopping at --', () => {
    const args = nxArgsOf(['node', '/ws/node_modules/nx/dist/bin/nx.js', 'run', 'release:patch', '--version=2.0.1']);
    expect(args).toEqual(['run', 'release:patch', '--version=2.0.1']);
    expect(flagValue(args!, 'version')).toBe('2.0.1');
    expect(flagValue(['run', 'x:y', '--version', '2.0.1'], 'version')).toBe('2.0.1');
    expect(flagValue(['run', 'x:y', '--', '--version=2.0.1'], 'version')).toBeUndefined();
    expect(nxArgsOf(['node', '/usr/lib/jest.js', '--version=1'])).toBeUndefined();
    // An empty --version= is kept as '' where the caller must refuse it (not taken for "unset").
    expect(flagValue(['run', 'x:y', '--version='], 'version')).toBeUndefined();
    expect(flagValue(['run', 'x:y', '--version='], 'version', { keepEmpty: true })).toBe('');
  });
});

describe('nx run release:bump --version=X.Y.Z (a flag Nx keeps for itself)', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await setupSampleRepo());
  });
  afterAll(() => removeTempDirs());

  it('reaches the executor: a version that is not the next patch is refused', async () => {
    const r = await runNx(dir, ['run', 'release:bump', '--kind=patch', '--version=5.0.2', '--dry-run'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/5\.0\.2.*not the next patch/);
  });

  it('reaches the executor: the next patch is accepted', async () => {
    const r = await runNx(dir, ['run', 'release:bump', '--kind=patch', '--version=5.0.1', '--dry-run']);
    expect(r.stdout).toContain('+version = "5.0.1"');
  });
});
