import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crateScope, locateCrateList, parseCrateList } from './index';

const LIST = 'const CRATES_TO_PUBLISH: &[&str] = &["a", "b"];\nconst PUBLIC_CRATES: &[&str] = &["a"];\n';
const DEF =
  'fn find_crates(dir: &Path, ws: &Workspace, dst: &mut Vec<Crate>) {\n    for e in dir.read_dir().unwrap() {\n        find_crates(&e.unwrap().path(), ws, dst);\n    }\n}\n';

describe('find_crates folders', () => {
  it('reads both spellings (publish.rs\'s "crates".as_ref(), the 2026 tool\'s Path::new), skipping the definition and its recursion', () => {
    const old = parseCrateList(
      `${LIST}fn main() {\n    find_crates("crates".as_ref(), &ws, &mut c);\n    find_crates("cranelift".as_ref(), &ws, &mut c);\n    find_crates("winch".as_ref(), &ws, &mut c);\n}\n${DEF}`,
      'scripts/publish.rs',
    );
    expect(old.discoveryRoots).toEqual(['crates', 'cranelift', 'winch']);
    const now = parseCrateList(
      `${LIST}fn main() {\n    find_crates(Path::new("crates"), &v, &mut c);\n    find_crates(Path::new("./pulley/"), &v, &mut c);\n}\n${DEF}`,
      'main.rs',
    );
    expect(now.discoveryRoots).toEqual(['crates', 'pulley']);
  });

  it('no find_crates call: every workspace member is governed', () => {
    expect(parseCrateList(LIST, 'scripts/publish.rs').discoveryRoots).toBeUndefined();
  });

  it('an argument it cannot read is an error naming the file, the line and the crateRoots option', () => {
    expect(() => parseCrateList(`${LIST}fn main() {\n    find_crates(&root.join("crates"), &ws, &mut c);\n}\n${DEF}`, 'scripts/publish.rs')).toThrow(
      'scripts/publish.rs:4:5: cannot read the folder of this `find_crates(...)` call (found `&`): write it as a string literal, e.g. `find_crates("crates".as_ref(), ...)`, or set `crateRoots` in the crate-train plugin options',
    );
  });
});

describe('crateScope', () => {
  const crates = [
    { name: 'root', root: '.', publish: true },
    { name: 'a', root: 'crates/a', publish: true },
    { name: 'b', root: 'pulley', publish: true },
    { name: 'ex', root: 'examples/ex', publish: true },
  ];
  it('governs the root package and the crates under the walked folders; stale and outside names are reported apart', () => {
    const scope = crateScope(crates, { cratesToPublish: ['root', 'a', 'b', 'gone'], publicCrates: [], discoveryRoots: ['crates'] }, { listFile: 'l.rs' });
    expect([...scope.governed].sort()).toEqual(['a', 'root']);
    expect([...scope.published].sort()).toEqual(['a', 'root']);
    expect(scope.ungoverned).toEqual(['b', 'ex']);
    expect(scope.stale).toEqual(['gone']);
    expect(scope.listedUngoverned).toEqual(['b']);
    expect(scope.rootsFrom).toBe('find_crates calls');
  });
  it('crateRoots overrides the list, and a folder that does not exist is an error naming nx.json and the option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scope-'));
    try {
      mkdirSync(join(dir, 'pulley'));
      const scope = crateScope(
        crates,
        { cratesToPublish: ['b'], publicCrates: [], discoveryRoots: ['crates'] },
        { listFile: 'l.rs', crateRoots: ['pulley/'], workspaceRoot: dir },
      );
      expect([...scope.published]).toEqual(['b']);
      expect(scope.rootsFrom).toBe('crateRoots option');
      expect(() => crateScope(crates, { cratesToPublish: [], publicCrates: [] }, { listFile: 'l.rs', crateRoots: ['nope'], workspaceRoot: dir })).toThrow(
        /^nx\.json: the crateRoots option of the crate-train plugin names "nope", which is not a folder of the workspace/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('locateCrateList', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const ws = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'locate-'));
    dirs.push(dir);
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    return dir;
  };
  it('scripts/publish.rs first, then crates/misc/publish/src/main.rs (Wasmtime since 2026-08), then a search of .rs files', () => {
    expect(locateCrateList(ws({ 'scripts/publish.rs': LIST, 'crates/misc/publish/src/main.rs': LIST }))).toBe('scripts/publish.rs');
    expect(locateCrateList(ws({ 'crates/misc/publish/src/main.rs': LIST }))).toBe('crates/misc/publish/src/main.rs');
    expect(locateCrateList(ws({ 'ci/publish.rs': LIST, 'src/lib.rs': '// CRATES_TO_PUBLISH is mentioned, not defined\n', 'target/x.rs': LIST }))).toBe(
      'ci/publish.rs',
    );
    expect(locateCrateList(ws({ 'src/lib.rs': 'fn main() {}\n' }))).toBe('scripts/publish.rs');
  });
});
