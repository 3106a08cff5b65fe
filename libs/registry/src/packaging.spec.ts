// PackagedCrates with two packaging runs at once (the first wave beside the checks,
// then every crate): a crate not brought yet is waited for until both have ended.
import { PackagedCrates } from './packaging';

describe('PackagedCrates', () => {
  it('waits until the last running packaging ends before saying a crate will not come', async () => {
    const p = new PackagedCrates();
    p.started();
    p.started();
    let answer: string | undefined | 'pending' = 'pending';
    void p.wait('late', '1.0.0').then((f) => (answer = f));
    p.finished();
    await Promise.resolve();
    expect(answer).toBe('pending');
    p.set('late', '1.0.0', '/x/late-1.0.0.crate');
    await Promise.resolve();
    expect(answer).toBe('/x/late-1.0.0.crate');
    p.finished();
    expect(await p.wait('never', '1.0.0')).toBeUndefined();
  });

  it('stop ends every packaging; a new start after it keeps nothing of the stopped ones', async () => {
    const p = new PackagedCrates();
    p.started();
    p.started();
    p.set('a', '1.0.0', '/old/a.crate');
    const waiting = p.wait('b', '1.0.0');
    p.stop();
    expect(await waiting).toBeUndefined();
    expect(p.stopSignal.aborted).toBe(true);
    p.started();
    expect(p.stopSignal.aborted).toBe(false);
    expect(p.get('a', '1.0.0')).toBeUndefined();
    p.finished();
    expect(await p.wait('b', '1.0.0')).toBeUndefined();
  });
});
