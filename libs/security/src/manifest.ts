import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdvisoryPlan, PLAN_FILE, PLAN_SCHEMA } from './plan';
import { SecurityError } from './errors';

/** The folder of an advisory, relative to the workspace root. */
export const SECURITY_DIR = 'security';
export const advisoryDir = (id: string) => `${SECURITY_DIR}/${id}`;

/** Reads and checks `security/<id>/advisory.json` (written by the security-advisory generator). */
export function readAdvisoryPlan(workspaceRoot: string, id: string): AdvisoryPlan {
  if (!id || /[/\\]|^\.\.?$/.test(id)) throw new SecurityError(`--advisory: "${id}" must be the name of a folder under ${SECURITY_DIR}/`);
  const rel = `${advisoryDir(id)}/${PLAN_FILE}`;
  const file = join(workspaceRoot, rel);
  if (!existsSync(file)) {
    const dir = join(workspaceRoot, SECURITY_DIR);
    let known = '';
    try {
      const ids = readdirSync(dir).filter((d) => existsSync(join(dir, d, PLAN_FILE)));
      known = ids.length ? ` (advisories here: ${ids.join(', ')})` : '';
    } catch {
      /* no security/ folder */
    }
    throw new SecurityError(`${rel} not found${known}: scaffold it with \`nx g crate-train:security-advisory\` first.`);
  }
  let plan: AdvisoryPlan;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as AdvisoryPlan;
  } catch (e) {
    throw new SecurityError(`${rel} is not valid JSON: ${(e as Error).message}`);
  }
  const bad = (what: string) => new SecurityError(`${rel}: ${what}`);
  if (plan.schema !== PLAN_SCHEMA) throw bad(`"schema" must be "${PLAN_SCHEMA}"`);
  if (!Array.isArray(plan.branches)) throw bad('"branches" must be a list');
  if (plan.branches.length === 0) throw bad('the advisory patches no release branch; nothing to release');
  const seen = new Set<string>();
  plan.branches.forEach((b, i) => {
    const where = `branches[${i}]${b && typeof b.branch === 'string' ? ` (${b.branch})` : ''}`;
    for (const k of ['branch', 'version', 'nextVersion'] as const) {
      if (typeof b?.[k] !== 'string' || !b[k]) throw bad(`${where}: "${k}" must be a non-empty string`);
    }
    if (seen.has(b.branch)) throw bad(`${where}: ${b.branch} is listed twice`);
    seen.add(b.branch);
    if (b.requiredCommits === undefined) b.requiredCommits = [];
    if (!Array.isArray(b.requiredCommits) || b.requiredCommits.some((c) => typeof c !== 'string' || !c.trim())) {
      throw bad(`${where}: "requiredCommits" must be a list of commit SHAs or commit-message texts`);
    }
  });
  return plan;
}
