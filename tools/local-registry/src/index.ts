export { startLocalRegistry, type LocalRegistry, type VersionState } from './server';
export type { LocalRegistryOptions, RegistryUser } from './options';
export { startOidcStandIn, type OidcStandIn, type OidcStandInOptions, type OidcIssuer } from './oidc-stand-in';
export type { TrustedPublishingOptions } from './routes/trusted-publishing-tokens';
export type { RecordedRequest, CapturedPublish } from './registry-state';
export { writeCargoConfig, cargoConfigToml, registryTokenEnvVar, type CargoHomeOptions, type CargoHomeSetup } from './cargo-config';
export { CRATES_IO_LIMITS, RateLimiter, httpDate, type LimitedAction, type ActionLimit, type RateLimitOptions } from './rate-limit';
export { FaultInjector, seededRandom, type FaultKind, type FaultOptions } from './faults';
export {
  indexFilePath,
  crateNameFromIndexPath,
  parsePublishBody,
  buildPublishBody,
  indexEntryFor,
  type IndexEntry,
  type IndexDep,
  type PublishMetadata,
  type PublishDep,
} from './index-format';
