import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCrateList, workspaceCrateList } from './index';

const crate = (name: string, deps: Array<[string, string]> = [], publish = true) => ({
  name,
  publish,
  dependencies: deps.map(([n, kind]) => ({ name: n, kind })),
});

describe('a workspace without a crate list', () => {
  it('publishes every member without publish = false, dependencies first (normal and build), dev-dependencies not ordering', () => {
    const list = workspaceCrateList([
      crate('cli', [
        ['core', 'normal'],
        ['api', 'normal'],
      ]),
      crate('api', [
        ['core', 'normal'],
        ['cli', 'dev'],
      ]),
      crate('core', [['codegen', 'build']]),
      crate('codegen'),
      crate('fuzz', [['core', 'normal']], false),
    ]);
    expect(list).toEqual({ cratesToPublish: ['codegen', 'core', 'api', 'cli'], fromWorkspace: true });
    expect(workspaceCrateList([crate('a')], ['a'])).toEqual({ cratesToPublish: ['a'], publicCrates: ['a'], fromWorkspace: true });
  });

  it('a cycle through normal dependencies does not hang: every crate is still listed once', () => {
    const list = workspaceCrateList([crate('a', [['b', 'normal']]), crate('b', [['a', 'normal']]), crate('c', [['a', 'normal']])]);
    expect([...list.cratesToPublish].sort()).toEqual(['a', 'b', 'c']);
    expect(list.cratesToPublish.indexOf('c')).toBeGreaterThan(list.cratesToPublish.indexOf('a'));
  });

  it('resolveCrateList: a file found is read; none found is the workspace list; a configured file that is missing is an error naming it', () => {
    const root = mkdtempSync(join(tmpdir(), 'crate-list-resolve-'));
    try {
      const members = [crate('a')];
      expect(resolveCrateList(root, undefined, members)).toEqual({ list: { cratesToPublish: ['a'], fromWorkspace: true } });
      expect(resolveCrateList(root, false, members).listFile).toBeUndefined();
      expect(() => resolveCrateList(root, 'ci/publish.rs', members)).toThrow(/^ci\/publish\.rs: crate list not found/);
      mkdirSync(join(root, 'ci'));
      writeFileSync(join(root, 'ci', 'publish.rs'), 'const CRATES_TO_PUBLISH: &[&str] = &["a"];\n');
      expect(resolveCrateList(root, undefined, members)).toEqual({ list: { cratesToPublish: ['a'] }, listFile: 'ci/publish.rs' });
      // false means no list even when a file exists.
      expect(resolveCrateList(root, false, members).list.fromWorkspace).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
