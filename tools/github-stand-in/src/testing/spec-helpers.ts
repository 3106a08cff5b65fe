// Shared by the stand-in's specs, which drive it through the real @octokit/rest.

/** Octokit's log, silenced (its debug lines carry request headers). */
export const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The HTTP status and body of a rejected octokit call (status 0 when it succeeded). */
export function failure(p: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  return p.then(
    () => ({ status: 0, data: undefined as unknown }),
    (e: { status: number; response?: { data: unknown } }) => ({ status: e.status, data: e.response?.data }),
  );
}
