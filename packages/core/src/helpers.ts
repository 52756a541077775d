// @backendkit/core/helpers: what plugin authors build fragments, diagnostics and lookups with
// (docs/plugins.md). Everything here is plain functions and data; none of it needs a translator.

// Objects and names.
export { BACKEND_API_VERSIONS, BACKEND_GROUPS, ResourceIndex, compareStrings, keyOf, refOf } from './resources';
export { backendClusterName } from './names';
export { isPlainObject } from './load';
export { kindLabel } from './routing';

// Diagnostics and statuses.
export { joinPath, printable } from './diagnostics';
export { closestMatch } from './suggest';
export { issuesToDiagnostics } from './validate';
export { lineOf } from './load';
export { located, sourceOf } from './locate';
export { acceptedCondition, describeError, MAX_ANCESTORS, MAX_CONDITION_MESSAGE } from './status';
export { redact } from './redact';
export { formatBytes } from './input-limits';
export { isPort, portSchema } from './ports';

// Cluster shapes and addresses.
export { edsCluster } from './eds';
export { frozenJson } from './frozen';
export { DNS_CLUSTER_EXTENSION, dnsCluster } from './dns';
export { anyJson } from './any-json';
export { hasEnvoyField } from './envoy-schema';
export { DEFAULT_SYSTEM_CA_BUNDLE, SYSTEM_CA_SECRET_NAME, systemCaSecret } from './system-ca';
export type { DnsClusterShape } from './dns';
export { compareAddresses, quadValue } from './ip';
export { refusedAddress } from './address-safety';
export type { AddressRefusal, RefusalKind } from './address-safety';
export { jsonEqual } from './merge';

// Sources.
export { resourceSecretSource, secretData, secretValueProblem } from './sources/secrets';
export { sourceVersion } from './versioned-source';
