import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export const DOCS = 'https://docs.github.com/rest';

/** An error answered with GitHub's JSON error body (`message`, `documentation_url`, `status`, optional `errors`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    readonly errors?: unknown[],
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const out: Record<string, unknown> = { message: this.message };
    if (this.errors) out.errors = this.errors;
    out.documentation_url = this.documentationUrl;
    out.status = String(this.status);
    return out;
  }
}

export const notFound = (doc = DOCS) => new ApiError(404, 'Not Found', doc);

/** GitHub's 422 "Validation Failed" with a list of `{resource, field?, code, message?}` errors. */
export function validationFailed(doc: string, ...errors: Record<string, string>[]): ApiError {
  return new ApiError(422, 'Validation Failed', doc, errors);
}

/** 422 with a plain message (refs, merge options, JSON-schema style checks). */
export const unprocessable = (message: string, doc = DOCS) => new ApiError(422, message, doc);

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function requestId(): string {
  const h = randomBytes(10).toString('hex').toUpperCase();
  return `${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 14)}:${h.slice(14, 20)}`;
}

export function send(res: ServerResponse, reply: Reply, extra: Record<string, string>): void {
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Reads a JSON request body; GitHub answers unparsable JSON with 400 "Problems parsing JSON". */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'Problems parsing JSON');
}

/**
 * Slices `items` the way GitHub pages a list: `per_page` (default 30, max 100) and
 * `page` (from 1), with a `Link` header carrying `next`/`last`/`first`/`prev`
 * absolute URLs that octokit's paginate() follows.
 */
export function paginate<T>(items: T[], requestUrl: URL): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(requestUrl.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(requestUrl.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(requestUrl.href);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return `<${u.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}
