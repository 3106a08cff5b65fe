import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTextExact, scanVersionFile, versionFileMismatches, type VersionFileRule } from '@crate-train/versions';

export interface VersionFileCheck {
  path: string;
  /** `skipped`: not compared, because the root version is not a semantic version (a rule error says so). */
  status: 'ok' | 'mismatch' | 'missing' | 'skipped';
  problems: string[];
}

/** Checks that every configured version file carries `version` (Wasmtime's verify_capi). */
export function checkVersionFiles(root: string, rules: readonly VersionFileRule[], version: string): VersionFileCheck[] {
  return rules.map((rule) => {
    if (!existsSync(join(root, rule.path))) return { path: rule.path, status: 'missing', problems: [] };
    const scan = scanVersionFile(readTextExact(join(root, rule.path), rule.path), rule);
    const problems = [...scan.problems, ...versionFileMismatches(scan, rule, version)];
    return { path: rule.path, status: problems.length ? 'mismatch' : 'ok', problems };
  });
}
