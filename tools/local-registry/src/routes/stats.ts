// `GET /api/private/stats`: the counters, for tests and benchmarks that run the
// registry in another process (the CLI).
import type { ServerResponse } from 'node:http';
import type { RegistryState } from '../registry-state';
import { send } from '../reply';

export function serveStats(state: RegistryState, res: ServerResponse): void {
  send(res, 200, {
    uploads: Object.fromEntries(state.uploads),
    uploadAttempts: Object.fromEntries(state.uploadAttempts),
    rateLimited: state.rateLimitedCount,
    faultsInjected: state.faultsInjected,
    requests: state.requestCount,
    // CPU of the whole process (meaningful when the registry runs alone, as from the CLI).
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  });
}
