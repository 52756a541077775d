// Test support for running a real Envoy (docs/envoy.md): find the binary, validate bootstraps,
// start and stop Envoy processes. A subpath of its own so `@backendkit/testing` stays process-free.
export { envoyForTests, findEnvoy, INSTALL_HINT, INSTALLED_ENVOY, isCI } from './find';
export { mapLimit, validateBootstrap } from './validate';
export type { ValidationResult } from './validate';
export { adsDynamicResources, staticValidationSecrets, SYSTEM_CA_BUNDLE, validationBootstrap, XDS_CLUSTER, xdsCluster } from './bootstrap';
export type { EnvoyResources } from './bootstrap';
export { freePort, httpGet, startEnvoy, waitFor } from './process';
export { makeTestPki } from './pki';
export type { TestPki } from './pki';
export type { EnvoyProcess, HttpReply } from './process';
