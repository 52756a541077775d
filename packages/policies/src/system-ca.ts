// The system CA secret lives in core, shared with the hosts that provide it (docs/backend-config-policy.md,
// "System CA"); re-exported here, where users of the policies first looked for it.
export { DEFAULT_SYSTEM_CA_BUNDLE, systemCaSecret } from '@backendkit/core/helpers';
