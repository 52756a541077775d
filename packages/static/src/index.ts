export { staticPlugin } from './plugin';
export { staticSchema, staticHostSchema, APP_PROTOCOLS } from './schema';
export type { StaticSpec, StaticHost } from './schema';
export { hostKind } from './address';
export type { HostKind } from './address';
