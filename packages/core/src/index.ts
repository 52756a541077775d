// @backendkit/core: what a user of backendkit needs. Plugin authors' helpers are in
// `@backendkit/core/helpers`, Envoy message helpers in `@backendkit/core/envoy`, schema export in
// `@backendkit/core/schema` (docs/architecture.md, "Public face").

// The plugin contract.
export type {
  AncestorRef,
  AncestorStatus,
  BackendContext,
  BackendPlugin,
  BackendRefTarget,
  ClusterJson,
  ClusterLoadAssignmentJson,
  ClusterTarget,
  Condition,
  ExtraCluster,
  Fragment,
  FragmentOverrides,
  OwnedStatus,
  RefKind,
  RefTarget,
  TranslateContext,
  TranslatorOptions,
} from './plugin';
export { CLUSTER_SHAPES, definePlugin } from './plugin';
export type { ClusterShape } from './plugin';
export type { KindTable, KubeObject, ObjectMeta, ResourceReader } from './resources';

// The translator and its results.
export { BACKEND_PLUGIN } from './registry';
export { createTranslator, Translator } from './translator';
export type { CreateTranslatorOptions } from './translator';
export type { TargetResult, TranslationResult } from './result';
export type { ResourceStatus } from './status';
export { BLACKHOLE_CLUSTER } from './routing';
export type { ResolvedBackendRef, ResolvedRefsReason, RouteKind, RouteResult, RuleResult } from './routing';
export type { Cluster, ClusterLoadAssignment, EnvoyAssignment, EnvoyCluster } from './cluster-messages';

// Diagnostics.
export type { CoreDiagnosticCode, Diagnostic, ResourceRef, Severity, SourceLocation } from './diagnostics';
export { formatDiagnostic, locationText } from './diagnostics';

// Loading and output.
export { loadText } from './load';
export type { LoadOptions, LoadResult } from './load';
export { LOAD_LIMITS } from './input-limits';
export type { LoadLimits } from './input-limits';
export { acceptedKinds, CORE_KINDS } from './resources';
export { formatJson, formatJsonChunks, formatYaml, formatYamlChunks, jsonText, toOutputDocument } from './output';
export type { OutputDocument } from './output';

// Sources a host provides.
export { SECRET_SOURCE } from './sources/secrets';
export type { SecretData, SecretSource } from './sources/secrets';
export type { VersionedSource } from './versioned-source';

// Errors for mistakes in code (user input never throws), and their guards.
export { DuplicatePluginError, InvalidPluginError, PluginError, isDuplicatePluginError, isInvalidPluginError, isPluginError } from './errors';
