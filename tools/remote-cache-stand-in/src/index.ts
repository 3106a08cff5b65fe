export { startRemoteCacheStandIn, type RemoteCacheStandIn, type RemoteCacheStandInOptions, type CacheRequest } from './server';
