// `--version`, which Nx keeps for itself, read back from the nx command line:
// through real nx and the BUILT plugin (flagValue/nxArgsOf alone: nx-argv.spec.ts).
import { setupSampleRepo, runNx, removeTempDirs } from '@crate-train/testing';

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
