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
