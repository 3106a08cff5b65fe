// Authenticated pushes/fetches over HTTPS without ever putting the token in a
// remote URL: git reads an extra Authorization header from GIT_CONFIG_* env
// variables (git >= 2.31), the same mechanism actions/checkout uses.

export interface GitAuth {
  token: string;
}

/** Environment that adds `Authorization: basic base64(x-access-token:TOKEN)` to git's HTTP requests. */
export function authEnv(auth: GitAuth | undefined): Record<string, string> {
  if (!auth?.token) return {};
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: basic ${basic}`,
  };
}

/** Every form of the token that could show up in output (raw and in the header). */
export function authSecrets(auth: GitAuth | undefined): string[] {
  if (!auth?.token) return [];
  return [auth.token, Buffer.from(`x-access-token:${auth.token}`).toString('base64')];
}
