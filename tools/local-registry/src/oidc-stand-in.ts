// A stand-in for GitHub Actions' OIDC token endpoint on 127.0.0.1: what a job with
// `permissions: id-token: write` reaches through ACTIONS_ID_TOKEN_REQUEST_URL and
// ACTIONS_ID_TOKEN_REQUEST_TOKEN. `GET <url>&audience=AUD` with
// `Authorization: bearer <request token>` answers `{"value": "<jwt>"}`: an RS256 JWT
// with GitHub's claims (repository, workflow_ref, environment, a fresh `jti`), signed
// by a key made at start. The local registry checks those JWTs (`issuer()` gives it
// what it needs); a test can make the endpoint refuse (`refuseWith(403)`).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signJwt } from './jwt';

export interface OidcStandInOptions {
  /** `owner/name` of the repository the job runs in. Default `example/wasmtime`. */
  repository?: string;
  /** Workflow file. Default `.github/workflows/crate-train-publish.yml`. */
  workflow?: string;
  /** The job's environment. Default `publish`. */
  environment?: string;
  /** Git ref of the run. Default `refs/tags/v1.0.0`. */
  ref?: string;
  /** Lifetime of a JWT. Default 5 min (GitHub's); negative: already expired when issued. */
  jwtLifetimeMs?: number;
}

/** What the registry needs to check the stand-in's JWTs. */
export interface OidcIssuer {
  /** The `iss` claim (the stand-in's URL). */
  issuer: string;
  /** PEM of the signing key's public half. */
  publicKey: string;
  /** The repository, workflow file and environment its JWTs name. */
  repository: string;
  workflow: string;
  environment: string;
}

export interface OidcStandIn {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (already carries a query, as GitHub's does). */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  /** Both variables, for a child's environment. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  issuer(): OidcIssuer;
  /** JWTs handed out so far. */
  issued(): number;
  /** Every JWT handed out (a test checks none of them was printed). */
  jwts(): string[];
  /** Answer every request with this status (and no token) from now on; undefined = serve again. */
  refuseWith(status: number | undefined): void;
  /** Lifetime of the JWTs issued from now on (ms; negative: already expired). */
  setJwtLifetime(ms: number): void;
  stop(): Promise<void>;
}

export async function startOidcStandIn(opts: OidcStandInOptions = {}): Promise<OidcStandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestToken = `oidc_req_${randomBytes(16).toString('hex')}`;
  const repository = opts.repository ?? 'example/wasmtime';
  const workflow = opts.workflow ?? '.github/workflows/crate-train-publish.yml';
  const environment = opts.environment ?? 'publish';
  const ref = opts.ref ?? 'refs/tags/v1.0.0';
  let lifetimeMs = opts.jwtLifetimeMs ?? 5 * 60_000;
  const jwts: string[] = [];
  let refusal: number | undefined;
  let base = '';

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', base);
    if (req.method !== 'GET' || url.pathname !== '/token') return reply(404, { message: 'Not Found' });
    if (refusal !== undefined) return reply(refusal, { message: `Can't issue ID_TOKEN for audience ${url.searchParams.get('audience') ?? ''}` });
    const auth = req.headers.authorization ?? '';
    if (auth.replace(/^bearer\s+/i, '') !== requestToken) return reply(401, { message: 'Bad credentials' });
    const now = Math.floor(Date.now() / 1000);
    const owner = repository.split('/')[0];
    const jwt = signJwt(
      {
        iss: base,
        aud: url.searchParams.get('audience') ?? `https://github.com/${owner}`,
        sub: `repo:${repository}:environment:${environment}`,
        jti: randomUUID(),
        iat: now,
        nbf: now - 5,
        exp: now + Math.ceil(lifetimeMs / 1000),
        repository,
        repository_owner: owner,
        ref,
        environment,
        workflow_ref: `${repository}/${workflow}@${ref}`,
        job_workflow_ref: `${repository}/${workflow}@${ref}`,
      },
      privateKey,
    );
    jwts.push(jwt);
    reply(200, { count: 1, value: jwt });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const requestUrl = `${base}/token?api-version=2.0`;
  return {
    requestUrl,
    requestToken,
    env: () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }),
    issuer: () => ({ issuer: base, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), repository, workflow, environment }),
    issued: () => jwts.length,
    jwts: () => [...jwts],
    refuseWith: (status) => {
      refusal = status;
    },
    setJwtLifetime: (ms) => {
      lifetimeMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
