// Tokens must never reach logs or error messages: every string we print about a
// process (command line, stderr) goes through here first.
const TOKEN_ENV = /^(.*_TOKEN|GH_TOKEN|GITHUB_TOKEN|CARGO_REGISTRY_TOKEN|CARGO_REGISTRIES_.*_TOKEN)$/;

export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => TOKEN_ENV.test(k) && typeof v === 'string' && v.length >= 4)
    .map(([, v]) => v as string);
}

/** Replaces every known secret, and credentials in URLs, with `***`. */
export function redact(text: string, extraSecrets: string[] = []): string {
  let out = text.replace(/(\w+:\/\/)[^/@\s:]+(:[^/@\s]*)?@/g, '$1***@');
  for (const s of [...secretsFromEnv(), ...extraSecrets]) {
    if (s) out = out.split(s).join('***');
  }
  return out;
}
