import { createRequire } from 'node:module';

/**
 * `require` from this package, for what the translation loads only when it needs it: protobuf-es and
 * the generated Envoy types, for the rare JSON the strict walk leaves to `fromJson` (docs/performance.md,
 * "CLI start-up"). A synchronous load, as the translation is; in an ESM process it loads the CommonJS
 * builds, which is harmless for JSON in and JSON out. Under jest (CommonJS) the test tree maps this
 * module to plain `require`.
 */
export const requireHere: NodeJS.Require = createRequire(import.meta.url);
