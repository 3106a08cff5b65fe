import { SECURITY_DIR } from './manifest';

/** The ignore rule that keeps advisories out of git. */
export const SECURITY_IGNORE_RULE = `/${SECURITY_DIR}/`;

/** True when a .gitignore text already ignores the top-level security/ folder. */
export function ignoresSecurityDir(gitignore: string): boolean {
  return gitignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .some((l) => [SECURITY_DIR, `${SECURITY_DIR}/`, `/${SECURITY_DIR}`, `/${SECURITY_DIR}/`].includes(l));
}

/** The .gitignore text with the rule added (unchanged when already there). */
export function withSecurityIgnored(gitignore: string | null): string {
  const text = gitignore ?? '';
  if (ignoresSecurityDir(text)) return text;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return `${text}${sep}${text ? '\n' : ''}# Private security advisories (crate-train): never commit or push.\n${SECURITY_IGNORE_RULE}\n`;
}
