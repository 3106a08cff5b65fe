// A tiny path router. Patterns look like `/repos/:owner/:repo/pulls/:number`; a
// final `*name` captures the rest of the path (git refs contain slashes, which
// octokit sends percent-encoded as %2F, other clients send raw).

export type Params = Record<string, string>;

export interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Matches a raw (still percent-encoded) pathname. */
  match(method: string, rawPath: string): { handler: H; params: Params } | undefined {
    const parts = rawPath.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { handler: route.handler, params };
    }
    return undefined;
  }
}

function matchSegments(segments: string[], parts: string[]): Params | undefined {
  const params: Params = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.startsWith('*')) {
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      params[seg.slice(1)] = rest.map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = safeDecode(part);
    else if (seg !== part) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
