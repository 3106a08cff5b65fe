import { parse as parseToml } from 'smol-toml';
import { SecurityError } from './errors';

/** Keys advisory-db requires in `[advisory]`. */
export const RUSTSEC_REQUIRED_KEYS = ['id', 'package', 'date', 'url', 'categories', 'keywords', 'aliases'] as const;

/**
 * Parses the ```toml front matter of an advisory-db file and checks the keys
 * advisory-db requires (`[advisory]` above, `[versions] patched`).
 */
export function parseRustsecFrontMatter(
  text: string,
  file = 'RUSTSEC file',
): { advisory: Record<string, unknown>; versions: { patched: string[]; unaffected?: string[] }; body: string } {
  const m = /^```toml\n([\s\S]*?)\n```\n([\s\S]*)$/.exec(text);
  if (!m) throw new SecurityError(`${file}: must start with a \`\`\`toml front-matter block`);
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(m[1]) as Record<string, unknown>;
  } catch (e) {
    throw new SecurityError(`${file}: front matter is not valid TOML: ${(e as Error).message}`);
  }
  const advisory = doc.advisory as Record<string, unknown> | undefined;
  const versions = doc.versions as { patched: string[]; unaffected?: string[] } | undefined;
  if (!advisory) throw new SecurityError(`${file}: no [advisory] table`);
  const missing = RUSTSEC_REQUIRED_KEYS.filter((k) => !(k in advisory));
  if (missing.length) throw new SecurityError(`${file}: [advisory] lacks ${missing.join(', ')}`);
  if (!versions || !Array.isArray(versions.patched)) throw new SecurityError(`${file}: no [versions] patched list`);
  if (!/^# .+/m.test(m[2])) throw new SecurityError(`${file}: the description needs a "# Title" line`);
  return { advisory, versions, body: m[2] };
}
