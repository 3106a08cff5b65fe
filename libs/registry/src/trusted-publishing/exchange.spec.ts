// A registry that quotes what it was sent in its errors: the JWT and the token are
// redacted from crate-train's messages (libs/proc's redact), whatever the registry says.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchangeJwt, revokeToken } from './exchange';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const quoted = req.method === 'POST' ? (JSON.parse(body) as { jwt: string }).jwt : String(req.headers.authorization);
      res.writeHead(req.method === 'POST' ? 400 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ detail: `cannot use ${quoted}` }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('trusted-publishing endpoints that echo the secret', () => {
  it('the refused JWT is not in the error', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA';
    const err = (await exchangeJwt(base, 'crates-io', jwt, { attempts: 1 }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /^registry `crates-io` refused the GitHub OIDC token \(POST \/api\/v1\/trusted_publishing\/tokens answered 400: cannot use \*\*\*\)/,
    );
    expect(err.message).not.toContain(jwt);
  });

  it('a failed revocation does not show the token', async () => {
    const token = 'cio_tp_secret_token_0123456789abcdef';
    const r = await revokeToken(base, token, { attempts: 1 });
    expect(r).toEqual({
      result: 'failed',
      error: expect.stringMatching(
        /^DELETE http:\/\/127\.0\.0\.1:\d+\/api\/v1\/trusted_publishing\/tokens failed after 1 attempts: 500 cannot use Bearer \*\*\*$/,
      ),
    });
  });
});
