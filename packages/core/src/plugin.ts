import type { z } from 'zod';
import type { InjectionToken } from 'tsyringe';
import type { cluster, endpoint } from '@backendkit/xds-types';
import type { Diagnostic } from './diagnostics';
import type { KindTable, KubeObject, ResourceReader } from './resources';

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
  /**
   * Fields of the type plugin's fragment this (feature) plugin takes over: core removes them from that
   * fragment before the merge, and this fragment may set them anew or leave them unset. Another
   * feature plugin that sets such a field is a `merge-conflict` naming both (docs/plugins.md,
   * "Taking over the type plugin's fields").
   */
  overrides?: FragmentOverrides;
  /**
   * Where parts of this fragment came from in the resource, so that core's checks of the composed
   * cluster point there (docs/plugins.md, "Saying where an endpoint came from"): a path into the
   * fragment, from `cluster.` or `assignment.` (`cluster.loadAssignment.endpoints[0].lbEndpoints[1]`),
   * to a path into the resource (`spec.myplugin.hosts[1].host`). For a checked field the longest
   * key that is its path or an ancestor's wins.
   */
  origins?: Readonly<Record<string, string>>;
}

/**
 * Paths into the composed cluster and the EDS assignment, in proto3 JSON names joined by `.`, with `[]`
 * after a list to mean each of its elements:
 * `loadAssignment.endpoints[].lbEndpoints[].endpoint.healthCheckConfig.hostname`. Core checks them
 * against the Envoy schema; one that does not fit is an `invalid-output` error of the plugin.
 */
export interface FragmentOverrides {
  cluster?: readonly string[];
  assignment?: readonly string[];
}

/** Lookups and services shared by every hook of one translation. */
export interface TranslateContext {
  /** Every object given to the translation. */
  readonly resources: ResourceReader;
  /** Injectable sources (endpoints, secrets, instances): from the translator's container. */
  resolve<T>(token: InjectionToken<T>, fallback: () => T): T;
  /**
   * A value computed once per translation and shared by every hook that asks for it by `key` (an
   * object validated once, however many Backends point at it). What `compute` reads counts as read
   * by each hook that uses the value, so incremental reuse stays exact. Start keys with the plugin's
   * name; treat the value as read-only.
   */
  shared<T>(key: string, compute: (ctx: TranslateContext) => T): T;
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
  /** The Backend, or the object an extra cluster stands for. */
  readonly resource: KubeObject;
  /** The part of `resource` the cluster stands for, as Gateway API's `sectionName` names it (e.g. a port's name). */
  readonly sectionName?: string;
  /** The type plugin's key for Backends (`static`), absent for extra clusters. */
  readonly typeKey?: string;
  readonly appProtocol?: string;
  /** The type plugin's fragment (read-only). */
  readonly fragment: Readonly<Fragment>;
}

/**
 * The object a policy's status speaks of, as Gateway API's `ParentReference` names it in
 * `PolicyAncestorStatus.ancestorRef` (a Gateway, or the object a policy targets).
 */
export interface AncestorRef {
  /** `''` for the Kubernetes core API group. */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  /** A part of the object (a port's name), when the status is about that part only. */
  sectionName?: string;
}

/** A policy's conditions toward one ancestor: Gateway API's `PolicyAncestorStatus`. */
export interface AncestorStatus {
  ancestorRef: AncestorRef;
  /** The controller that writes this entry (`kgateway.dev/kgateway`): Kubernetes keeps one entry per controller and ancestor. */
  controllerName: string;
  conditions: Condition[];
}

/** The status of an object a plugin owns (docs/plugins.md, "Statuses of other objects"). */
export interface OwnedStatus {
  /** The object, as `ctx.resources` gave it. */
  resource: KubeObject;
  /** Conditions of the object as a whole. */
  conditions: Condition[];
  /**
   * Per-ancestor statuses, for kinds whose status is Gateway API's `PolicyStatus` (`status.ancestors`):
   * core carries them into `result.statuses`, at most `MAX_ANCESTORS` (16, the API's limit).
   */
  ancestors?: AncestorStatus[];
  /** Problems found in the object; paths are relative to it. */
  diagnostics?: Diagnostic[];
}

/** A cluster that does not come from a Backend (e.g. one per port of an object a plugin reads). */
export interface ExtraCluster {
  clusterName: string;
  resource: KubeObject;
  /** The part of `resource` this cluster stands for (e.g. a port's name), for policies' `sectionName`. */
  sectionName?: string;
  fragment: Fragment;
}

/**
 * A backendkit plugin: a plain object with a name and the hooks it needs, in the spirit of Vite.
 * - A *type* plugin owns one key of `Backend.spec` (`key`), validates it (`schema`) and turns it
 *   into a fragment (`translate`). Exactly one type key may be set on a Backend.
 * - A *feature* plugin has no key; `extend` adds to any cluster it applies to (HTTP/2, policies).
 * - `clusters` contributes clusters that are not Backends (one per port of some object).
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
  /**
   * A quick check for the common case, narrower than `schema`, never wider: the value `schema` would
   * output for `value` when the check can vouch for it, else undefined, and `schema` reads it (and
   * words the problems). Optional; it saves the schema's time on well-formed specs (docs/plugins.md,
   * "Quick checks").
   */
  wellFormed?(value: unknown): Spec | undefined;
  translate?(spec: Spec, ctx: BackendContext): Fragment;
  extend?(target: ClusterTarget, ctx: TranslateContext): Fragment | undefined;
  clusters?(ctx: TranslateContext): ExtraCluster[];
  /**
   * Statuses of objects the plugin owns other than Backends (a policy's `Accepted`), with the
   * problems found in each. Core adds them to `result.statuses` after the Backends', sorted by
   * kind, namespace and name, and reports the diagnostics with each object's file and line.
   */
  statuses?(ctx: TranslateContext): OwnedStatus[];
  /**
   * Kinds that HTTPRoute backendRefs may point at, besides core's `Backend` (docs/routing.md): a
   * plugin makes its own resources (or Kubernetes objects it reads) referenceable here. Core checks
   * ReferenceGrants first.
   */
  readonly refKinds?: readonly RefKind[];
  /**
   * The object kinds this plugin reads besides core's (`Backend`, `Secret`, `HTTPRoute`,
   * `ReferenceGrant`), with the apiVersions it accepts for each: `{ Bucket: ['storage.example.com/v1'] }`. The loader
   * keeps objects of these kinds; it skips others with a warning (docs/plugins.md, "Kinds").
   */
  readonly kinds?: KindTable;
  /**
   * CustomResourceDefinitions of the kinds the plugin owns (a policy's), for `pluginCrds` and
   * `backendkit schema --format crds` (docs/plugins.md, §9 "Schema export").
   */
  crds?(): Array<Record<string, unknown>>;
}

/** See `TranslatorOptions.clusterShape`. */
export type ClusterShape = 'current' | 'legacy';

export const CLUSTER_SHAPES: readonly ClusterShape[] = ['current', 'legacy'];

export interface TranslatorOptions {
  /** `connectTimeout` for clusters that set none. Default `5s`. */
  connectTimeout?: string;
  /**
   * Allow upstream addresses that are loopback, unspecified or link-local (and `localhost` names),
   * which are refused by default: they reach the proxy's admin port or the cloud metadata service.
   * See `refusedAddress` and docs/security.md.
   */
  allowLocalAddresses?: boolean;
  /**
   * A `port` on a backendRef to a kind that has no ports (a Backend): `ignore` (default) resolves the
   * ref with a warning, as the product documentation promises; `refuse` fails it the way kgateway
   * does (`ResolvedRefs=False`, `BackendNotFound`, `Backend "<name>" not found`, to the blackhole).
   * CLI: --refuse-backend-ref-port. See docs/routing.md.
   */
  backendRefPort?: 'ignore' | 'refuse';
  /**
   * Reuse the results of unchanged Backends when the translator is called again (default true):
   * content-keyed, invalidated by changes to whatever they read. See docs/performance.md.
   */
  incremental?: boolean;
  /**
   * Which Envoy the output is shaped for (docs/dns-clusters.md). `current` (default): DNS-resolved
   * clusters use the `envoy.clusters.dns` extension (`DnsCluster`), as kgateway emits them. `legacy`:
   * `type: STRICT_DNS` / `LOGICAL_DNS` with `dnsLookupFamily` on the cluster, for Envoy older than
   * 1.33 and xDS clients that don't know the extension; plugins read it too, to fall back to the
   * older form of their own extensions.
   */
  clusterShape?: ClusterShape;
}

/** Identity helper that gives a plugin object its types, like Vite's `defineConfig`. */
export function definePlugin<Spec>(plugin: BackendPlugin<Spec>): BackendPlugin<Spec> {
  return plugin;
}

/** A backendRef with its defaults filled in, as a `RefKind` sees it. */
export interface BackendRefTarget {
  /** `''` for the Kubernetes core API group. */
  group: string;
  kind: string;
  /** The ref's namespace, or the route's when the ref has none. */
  namespace: string;
  name: string;
  port?: number;
}

/** What a `RefKind` says about a target: its cluster, or why it is not there. */
export type RefTarget = { cluster: string } | { notFound: string };

/**
 * A kind that HTTPRoute backendRefs may point at. Core provides `Backend` (both API groups); a
 * plugin adds others (a Kubernetes kind, its own resource) through `BackendPlugin.refKinds`.
 */
export interface RefKind {
  /** API group of the ref; `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  /**
   * How the ref's `port` is treated: `required` (a ref without one is refused), `ignored` (a warning
   * when set), or `optional` (passed on to `resolve`). Default `optional`.
   */
  readonly port?: 'required' | 'ignored' | 'optional';
  /**
   * Finds the target among the translation's objects. Called only for refs that are well formed and
   * permitted (ReferenceGrants are checked by core). Pure: no I/O.
   */
  resolve(ref: BackendRefTarget, ctx: TranslateContext): RefTarget;
}
