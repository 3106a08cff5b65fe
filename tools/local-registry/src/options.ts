import type { FaultOptions } from './faults';
import type { RateLimitOptions } from './rate-limit';
import type { TrustedPublishingOptions } from './routes/trusted-publishing-tokens';

export interface RegistryUser {
  login: string;
  token: string;
}

export interface LocalRegistryOptions {
  /**
   * crates.io trusted publishing: JWTs of this OIDC issuer are exchanged for publish
   * tokens that expire (`POST`/`DELETE /api/v1/trusted_publishing/tokens`). Off by default.
   */
  trustedPublishing?: TrustedPublishingOptions;
  /** Storage directory; reused (with its data and tokens) when it exists. Default: a new temp dir. */
  dir?: string;
  port?: number;
  /** Token of the default user (login `local-user`). Default: generated once and kept in `dir`. */
  token?: string;
  /** More users, e.g. to test owner checks. */
  users?: RegistryUser[];
  /** A new version shows in the index only this many ms after it was stored. Default 0. */
  indexDelayMs?: number;
  /** crates.io's publish rate limits, scaled; `false` turns them off. Default: on, unscaled. */
  rateLimit?: RateLimitOptions | false;
  faults?: FaultOptions;
  /** Largest accepted publish body. Default 10 MiB (crates.io's limit). */
  maxUploadBytes?: number;
  /** Called with one line per request (method, path, status). */
  log?: (line: string) => void;
  /**
   * Keep every request's method, path and headers (see `requests()`): a test asks what
   * credentials reached the registry. Off by default (a benchmark sends thousands).
   */
  recordRequests?: boolean;
  /**
   * config.json `dl` as a template (`…/dl/{crate}/{version}`) instead of the API base
   * cargo appends `/{crate}/{version}/download` to. Both download routes always work.
   */
  dlTemplate?: boolean;
  /**
   * Keep the body of every `PUT /api/v1/crates/new` that reaches the route (see
   * `captures()`): a test compares what two clients send, byte for byte.
   */
  capturePublishes?: boolean;
}
