import { evaluateSupport, parseAffected } from '@crate-train/support-policy';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '@crate-train/testing';
import { advisoryId, nextLine, lineStart, patchBump, PlanInput } from './plan';
import { buildAdvisoryPlan, crateRanges, readAdvisoryPlan, renderAdvisoryFiles } from './index';
import { sampleContext, SAMPLE_BRANCHES } from './testing/sample-advisory';

const tmp = tempDirs();
afterAll(() => tmp.cleanup());

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    summary: 'A bug',
    severity: 'low',
    today: '2025-10-15',
    projectName: 'Wasmtime',
    repository: 'example/wasmtime',
    table: evaluateSupport(SAMPLE_BRANCHES, { today: '2025-10-15' }),
    publishedCrates: ['wasmtime'],
    cratesByBranch: {
      'release-24.0.0': [{ name: 'wasmtime', version: '24.0.2', manifestPath: 'x', publish: true }],
      'release-36.0.0': [{ name: 'wasmtime', version: '36.0.1', manifestPath: 'x', publish: true }],
      'release-37.0.0': [{ name: 'wasmtime', version: '37.0.0', manifestPath: 'x', publish: true }],
    },
    ...over,
  };
}

describe('version helpers', () => {
  it('bumps patches and finds line bounds the way Wasmtime bumps', () => {
    expect(patchBump('36.0.1')).toBe('36.0.2');
    expect(() => patchBump('38.0.0-rc.1')).toThrow('cannot make a patch release from version "38.0.0-rc.1"');
    expect([nextLine('5.0.3'), nextLine('0.92.1'), nextLine('0.0.3')]).toEqual(['6.0.0', '0.93.0', '0.0.4']);
    expect([lineStart('5.0.3'), lineStart('0.92.1'), lineStart('0.0.3')]).toEqual(['5.0.0', '0.92.0', '0.0.3']);
  });
});

describe('buildAdvisoryPlan', () => {
  it('names the advisory by --id, else the GHSA, else date and summary', () => {
    expect(advisoryId({ today: '2025-10-15', summary: 'Out-of-bounds write in table.grow!' })).toBe('2025-10-15-out-of-bounds-write-in-table-grow');
    expect(advisoryId({ today: '2025-10-15', summary: 'x', ghsa: 'GHSA-9p4w-852m-cvvp' })).toBe('GHSA-9p4w-852m-cvvp');
    expect(advisoryId({ today: '2025-10-15', summary: 'x', ghsa: 'GHSA-9p4w-852m-cvvp', id: 'oob' })).toBe('oob');
    expect(() => advisoryId({ today: '2025-10-15', summary: 'x', id: '../etc' })).toThrow('--id: "../etc" must be letters');
  });

  it('rejects bad input with the option it came from', () => {
    expect(() => buildAdvisoryPlan(input({ summary: '  ' }))).toThrow('--summary is required');
    expect(() => buildAdvisoryPlan(input({ severity: 'urgent' }))).toThrow('--severity: "urgent" must be one of low, medium, high, critical');
    expect(() => buildAdvisoryPlan(input({ ghsa: 'GHSA-1234' }))).toThrow('--ghsa: "GHSA-1234" is not a GitHub advisory id');
    expect(() => buildAdvisoryPlan(input({ today: '2025-13-01' }))).toThrow('--today');
    expect(() => buildAdvisoryPlan(input({ crates: ['wasmtime', 'no-such-crate'] }))).toThrow(
      '--crates: no-such-crate is neither in the crate list nor on any branch to patch',
    );
  });

  it('uses a placeholder GHSA until GitHub assigns one', () => {
    const plan = buildAdvisoryPlan(input());
    expect(plan.ghsa).toBe('GHSA-xxxx-xxxx-xxxx');
    expect(plan.id).toBe('2025-10-15-a-bug');
    expect(plan.branches.map((b) => b.nextVersion)).toEqual(['24.0.3', '36.0.2', '37.0.1']);
  });

  it('bounds the oldest affected version when --affected is a range, and keeps a newer unpatched line affected', () => {
    const table = evaluateSupport(SAMPLE_BRANCHES, { today: '2025-10-15', affected: parseAffected('>=36.0.0 <37.0.0') });
    const plan = buildAdvisoryPlan(input({ table }));
    expect(plan.branches.map((b) => b.branch)).toEqual(['release-36.0.0']);
    expect(crateRanges(plan, 'wasmtime')).toEqual({ name: 'wasmtime', affected: ['>= 36.0.0, < 36.0.2'], patched: ['>= 36.0.2'] });

    const listed = evaluateSupport(SAMPLE_BRANCHES, { today: '2025-10-15', affected: parseAffected('24.0.0,35.0.0,37.0.0') });
    const p2 = buildAdvisoryPlan(
      input({
        table: listed,
        cratesByBranch: { ...input().cratesByBranch, 'release-35.0.0': [{ name: 'wasmtime', version: '35.0.0', manifestPath: 'x', publish: true }] },
      }),
    );
    expect(p2.branches.map((b) => b.branch)).toEqual(['release-24.0.0', 'release-35.0.0', 'release-37.0.0']);

    // 35 is affected but out of support: versions from 25.0.0 on stay affected.
    const older = evaluateSupport(SAMPLE_BRANCHES, { today: '2025-10-15', affected: parseAffected('<36') });
    const p3 = buildAdvisoryPlan(input({ table: older }));
    expect(crateRanges(p3, 'wasmtime')).toEqual({
      name: 'wasmtime',
      affected: ['>= 24.0.0, < 24.0.3', '>= 25.0.0'],
      patched: ['>= 24.0.3, < 25.0.0'],
    });
  });
});

describe('readAdvisoryPlan', () => {
  it('reads back what the generator writes', () => {
    const root = tmp.make('sec-plan');
    const ctx = sampleContext();
    const files = renderAdvisoryFiles(ctx);
    mkdirSync(join(root, 'security', ctx.plan.id), { recursive: true });
    writeFileSync(join(root, 'security', ctx.plan.id, 'advisory.json'), files['advisory.json']);
    expect(readAdvisoryPlan(root, ctx.plan.id)).toEqual(ctx.plan);
  });

  it('says which file is missing or wrong, and what to do', () => {
    const root = tmp.make('sec-plan-bad');
    expect(() => readAdvisoryPlan(root, 'nope')).toThrow('security/nope/advisory.json not found: scaffold it with `nx g crate-train:security-advisory` first.');
    mkdirSync(join(root, 'security', 'a'), { recursive: true });
    writeFileSync(join(root, 'security', 'a', 'advisory.json'), '{ nope');
    expect(() => readAdvisoryPlan(root, 'a')).toThrow('security/a/advisory.json is not valid JSON');
    expect(() => readAdvisoryPlan(root, 'zzz')).toThrow('(advisories here: a)');
    const plan = sampleContext().plan;
    writeFileSync(join(root, 'security', 'a', 'advisory.json'), JSON.stringify({ ...plan, branches: [{ ...plan.branches[0], requiredCommits: [''] }] }));
    expect(() => readAdvisoryPlan(root, 'a')).toThrow('security/a/advisory.json: branches[0] (release-24.0.0): "requiredCommits" must be a list');
    writeFileSync(join(root, 'security', 'a', 'advisory.json'), JSON.stringify({ ...plan, branches: [] }));
    expect(() => readAdvisoryPlan(root, 'a')).toThrow('the advisory patches no release branch');
    expect(() => readAdvisoryPlan(root, '../x')).toThrow('--advisory: "../x" must be the name of a folder under security/');
  });
});
