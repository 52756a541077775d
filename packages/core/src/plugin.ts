import type { z } from 'zod';
import type { InjectionToken } from 'tsyringe';
import type { cluster, endpoint } from '@backendkit/xds-types';
import type { Diagnostic } from './diagnostics';
import type { ResourceStatus } from './status';
import type { KindTable, KubeObject, ResourceIndex } from './resources';
import type { RefKind } from './routing/types';

/** An Envoy `Cluster` in proto3 JSON, as a plugin contributes it (any subset of fields). */
export type ClusterJson = cluster.ClusterJson;
/** An Envoy `ClusterLoadAssignment` in proto3 JSON; core sets `clusterName`. */
export type ClusterLoadAssignmentJson = endpoint.ClusterLoadAssignmentJson;

/** A Kubernetes-style status condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * What one plugin contributes to one cluster. Core merges the fragments of all plugins that apply;
 * two fragments that set one field to different values are a `merge-conflict` diagnostic.
 */
export interface Fragment {
  /** Cluster fields. `name` is core's; `loadAssignment.clusterName` is filled in by core. */
  cluster?: ClusterJson;
  /** For EDS clusters: the assignment an xDS server sends alongside. */
  assignment?: ClusterLoadAssignmentJson;
  /** Errors make the Backend invalid: it gets no cluster. Paths are relative to the resource. */
  diagnostics?: Diagnostic[];
  /** Extra status conditions for the resource (e.g. `EndpointsDiscovered`). */
  conditions?: Condition[];
  /**
   * The upstream application protocol (`http2`, `grpc`, `kubernetes.io/ws`, ...). Set by type plugins;
   * feature plugins read it from the target.
   */
  appProtocol?: string;
  /**
   * Values that must never appear in a message (credentials the cluster carries): core removes them
   * from every diagnostic and condition of this cluster, merge conflicts included.
   */
  sensitiveValues?: readonly string[];
}

/** Lookups and services shared by every hook of one translation. */
export interface TranslateContext {
  /** Every object given to the translation. */
  readonly resources: ResourceIndex;
  /** Injectable sources (endpoints, secrets, instances): from the translator's container. */
  resolve<T>(token: InjectionToken<T>, fallback: () => T): T;
  readonly options: TranslatorOptions;
}

/** The Backend a type plugin is translating. */
export interface BackendContext extends TranslateContext {
  readonly backend: KubeObject;
  readonly clusterName: string;
  /** Path of the plugin's own part of the input, e.g. `spec.static`. */
  readonly path: string;
}

/** A cluster on its way out, as feature plugins see it. */
export interface ClusterTarget {
  readonly clusterName: string;
  /** The Backend, or the object an extra cluster stands for (a Service). */
  readonly resource: KubeObject;
  /** The type plugin's key for Backends (`static`), absent for extra clusters. */
  readonly typeKey?: string;
  readonly appProtocol?: string;
  /** The type plugin's fragment (read-only). */
  readonly fragment: Readonly<Fragment>;
}

/** A cluster that does not come from a Backend (e.g. one per Service port). */
export interface ExtraCluster {
  clusterName: string;
  resource: KubeObject;
  fragment: Fragment;
}

/**
 * A backendkit plugin: a plain object with a name and the hooks it needs, in the spirit of Vite.
 * - A *type* plugin owns one key of `Backend.spec` (`key`), validates it (`schema`) and turns it
 *   into a fragment (`translate`). Exactly one type key may be set on a Backend.
 * - A *feature* plugin has no key; `extend` adds to any cluster it applies to (HTTP/2, policies).
 * - `clusters` contributes clusters that are not Backends (Service ports).
 * Hooks are pure: no I/O. What needs I/O comes in through `ctx.resolve`.
 */
export interface BackendPlugin<Spec = any> {
  /** Unique; diagnostics and conflicts name it. By convention the npm package name. */
  readonly name: string;
  /** The `Backend.spec` key this plugin owns. */
  readonly key?: string;
  /**
   * Several plugins may share one key, each owning a *variant*: a field inside `spec[key]`, exactly one
   * of which must be set (`aws.lambda` / `aws.ec2`). The schema then validates the whole `spec[key]`.
   */
  readonly variant?: string;
  /** The legacy `spec.type` value that goes with `key` (`Static`, `Kubernetes`, `AWS`). */
  readonly legacyType?: string;
  /** Validates `spec[key]`; its output (with defaults) is what `translate` receives. */
  readonly schema?: z.ZodType<Spec>;
  /** Ordering among plugins: `pre` ones first, then unmarked, then `post`; ties keep registration order. */
  readonly enforce?: 'pre' | 'post';
  translate?(spec: Spec, ctx: BackendContext): Fragment;
  extend?(target: ClusterTarget, ctx: TranslateContext): Fragment | undefined;
  clusters?(ctx: TranslateContext): ExtraCluster[];
  /**
   * Kinds that HTTPRoute backendRefs may point at, besides core's `Backend` and `Service` (SPEC §5):
   * a plugin makes its own resources referenceable here. Core checks ReferenceGrants first.
   */
  readonly refKinds?: readonly RefKind[];
  /**
   * The object kinds this plugin reads besides SPEC §1's, with the apiVersions it accepts for each:
   * `{ BackendTLSPolicy: ['gateway.networking.k8s.io/v1'] }`. The loader (and the CLI) keep them.
   */
  readonly kinds?: KindTable;
  /** Statuses of objects the plugin owns (not Backends), added to the result's statuses. */
  statuses?(ctx: TranslateContext): ResourceStatus[];
  /** Problems with objects the plugin owns, reported once; the plugin sets `resource` and `source`. */
  diagnostics?(ctx: TranslateContext): Diagnostic[];
  /** CustomResourceDefinitions of the kinds the plugin owns, for schema export (`pluginCrds`). */
  crds?(): Array<Record<string, unknown>>;
}

export interface TranslatorOptions {
  /** `connectTimeout` for clusters that set none. Default `5s`. */
  connectTimeout?: string;
  /** Free-form options for plugins, keyed by plugin name. */
  pluginOptions?: Record<string, unknown>;
  /**
   * Allow upstream addresses that are loopback, unspecified or link-local (and `localhost` names),
   * which are refused by default: they reach the proxy's admin port or the cloud metadata service.
   * See `refusedAddress` and docs/security.md.
   */
  allowLocalAddresses?: boolean;
  /**
   * Reuse the results of unchanged Backends when the translator is called again (default true):
   * content-keyed, invalidated by changes to whatever they read. See docs/performance.md.
   */
  incremental?: boolean;
}

/** Identity helper that gives a plugin object its types, like Vite's `defineConfig`. */
export function definePlugin<Spec>(plugin: BackendPlugin<Spec>): BackendPlugin<Spec> {
  return plugin;
}
