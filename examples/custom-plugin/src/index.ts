export { dynamicForwardProxyPlugin, DEFAULT_CA_FILE, DEFAULT_DNS_CACHE_NAME, DYNAMIC_FORWARD_PROXY_CLUSTER } from './plugin';
export type { DynamicForwardProxyOptions } from './plugin';
export { dynamicForwardProxySchema } from './schema';
export type { DynamicForwardProxySpec } from './schema';
