import * as semver from 'semver';

/**
 * Which release lines the vulnerability affects (`--affected`):
 * - `auto`: every released line; the support policy alone decides what gets patched.
 * - a list, `3.0.0,release-4.0.0`: exactly these lines (by branch version or branch name).
 *   Listing a line whose support ended still patches it: the runbook lets the incident
 *   manager patch more than the supported set.
 * - a semver range, `>=4.0.0 <6.0.0`: lines whose current version satisfies it; only
 *   the supported ones among them are patched.
 */
export type AffectedSpec = { kind: 'auto' } | { kind: 'list'; entries: string[] } | { kind: 'range'; range: string };

const LIST_ENTRY = /^(?:[A-Za-z][\w.-]*-)?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export function parseAffected(value: string | undefined): AffectedSpec {
  const v = (value ?? 'auto').trim();
  if (v === '' || v === 'auto') return { kind: 'auto' };
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length > 0 && items.every((i) => LIST_ENTRY.test(i))) return { kind: 'list', entries: items };
  if (v.includes(',')) {
    const bad = items.filter((i) => !LIST_ENTRY.test(i));
    throw new Error(
      `--affected: "${bad.join('", "')}" is not a version (X.Y.Z) or a release branch name; ` +
        'a comma-separated list may only hold those (use a semver range such as ">=4.0.0 <6.0.0" for ranges)',
    );
  }
  if (semver.validRange(v) === null) {
    throw new Error(`--affected: "${v}" is neither "auto", a list of versions (3.0.0,4.0.0) nor a valid semver range`);
  }
  return { kind: 'range', range: v };
}

export function describeAffected(spec: AffectedSpec): string {
  switch (spec.kind) {
    case 'auto':
      return 'auto';
    case 'list':
      return spec.entries.join(',');
    case 'range':
      return spec.range;
  }
}
