// Answers a request with the fault the injector drew: a 500, a 429 with Retry-After,
// or a hang (the socket is destroyed after `hangMs`, or when the registry stops).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision } from './faults';
import type { RegistryState } from './registry-state';
import { fail, failRateLimited } from './reply';

export function injectFault(state: RegistryState, req: IncomingMessage, res: ServerResponse, decision: FaultDecision): void {
  state.faultsInjected[decision.kind]++;
  if (decision.kind === 'hang') return hang(state, req, res);
  if (decision.kind === '500') return fail(res, 500, 'Internal Server Error (injected fault)');
  const until = Date.now() + (state.faults?.opts.retryAfterMs ?? 1000);
  failRateLimited(res, 'You have published too many crates in a short period of time', until);
}

function hang(state: RegistryState, req: IncomingMessage, res: ServerResponse): void {
  const timer = setTimeout(() => {
    state.hangTimers.delete(timer);
    req.socket.destroy();
  }, state.faults?.opts.hangMs ?? 30_000);
  timer.unref();
  state.hangTimers.add(timer);
  res.on('close', () => {
    clearTimeout(timer);
    state.hangTimers.delete(timer);
  });
}
