// crates.io's answers: JSON bodies, errors as `{"errors":[{"detail":…}]}`, 429 with
// an HTTP-date Retry-After.
import type { ServerResponse } from 'node:http';
import { httpDate } from './rate-limit';

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(data.length), ...headers });
  res.end(data);
}

export function fail(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  send(res, status, { errors: [{ detail }] }, headers);
}

/** 429 as crates.io words it: `<reason>. Please try again after <date> …`, with that date in Retry-After. */
export function failRateLimited(res: ServerResponse, reason: string, retryAt: number): void {
  const date = httpDate(retryAt);
  fail(res, 429, `${reason}. Please try again after ${date} and see https://crates.io/docs/rate-limits for more details.`, { 'retry-after': date });
}
