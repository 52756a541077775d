import { definePlugin, type BackendPlugin, type ClusterJson, type ClusterTarget, type Diagnostic, type Fragment } from '@backendkit/core';
import { describeError, redact } from '@backendkit/core/helpers';
import { policyTarget } from './attach';
import { applyBcp } from './bcp-apply';
import { BCP_PLUGIN, mergeBcps, readBcps } from './bcp';
import { BTP_PLUGIN, btpsFor, readBtps } from './btp';
import { backendConfigPolicyCrd, backendTlsPolicyCrd } from './crds';
import { BCP_KINDS, BTP_KINDS } from './kinds';
import type { ReadPolicy } from './policies';
import { bcpStatuses, btpStatuses, DEFAULT_CONTROLLER_NAME } from './status';

export interface PolicyPluginOptions {
  /**
   * The `controllerName` of each `status.ancestors[]` entry: Kubernetes keeps one entry per ancestor and
   * controller, so write the name of the controller whose status you stand in for. Default
   * `kgateway.dev/kgateway`, kgateway's (docs/backend-config-policy.md, "Status").
   */
  controllerName?: string;
}

/** `<ref>: <error>; <error>`: how a target names the invalid policy that cost it its cluster. */
export function policyError(policy: ReadPolicy<unknown>): string {
  return `${policy.ref}: ${policy.errors.map(describeError).join('; ')}`;
}

function invalidTarget(policies: ReadonlyArray<ReadPolicy<unknown>>, plugin: string, target: ClusterTarget): Fragment {
  // A Service has no status of its own: its diagnostics say which port's cluster is gone.
  const where = target.resource.kind === 'Service' ? ` (cluster ${target.clusterName})` : '';
  const diagnostics: Diagnostic[] = policies.map((p) => ({
    severity: 'error',
    code: 'invalid-policy',
    plugin,
    message: redact(policyError(p), p.sensitive) + where,
  }));
  return { diagnostics, sensitiveValues: policies.flatMap((p) => p.sensitive) };
}

/**
 * kgateway's BackendConfigPolicy (docs/backend-config-policy.md): connection, HTTP, TLS, load
 * balancing, health checking and circuit breaking for the Backends and Service ports it targets.
 */
export function backendConfigPolicyPlugin(options: PolicyPluginOptions = {}): BackendPlugin {
  const controllerName = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  return definePlugin({
    name: BCP_PLUGIN,
    kinds: BCP_KINDS,
    extend(target, ctx) {
      const pt = policyTarget(target);
      if (!pt) return undefined;
      const namespace = pt.object.metadata.namespace;
      // Read even when there are none: the read is what ties this cluster to the namespace's policies.
      const bcps = readBcps(ctx, namespace);
      if (bcps.length === 0) return undefined;
      const merged = mergeBcps(pt, bcps);
      if (merged.all.length === 0) return undefined;
      if (merged.invalid.length > 0) return invalidTarget(merged.invalid, BCP_PLUGIN, target);
      // Any BackendTLSPolicy on the target replaces `tls` (docs/backend-tls-policy.md, "Over BackendConfigPolicy").
      const btp = btpsFor(pt, readBtps(ctx, namespace));
      const hasBtp = btp.all.length > 0;
      const proxy = merged.spec.upstreamProxyProtocol !== undefined;
      const tlsSocket = hasBtp ? (proxy ? btp.winner?.socket : undefined) : merged.from.tls?.tlsSocket;
      const lbFrom = merged.from.loadBalancer?.object.metadata;
      const { cluster, warnings, overrides } = applyBcp({
        spec: merged.spec,
        base: target.fragment.cluster ?? {},
        appProtocol: target.appProtocol,
        tlsSocket,
        lbPolicy: lbFrom && { name: lbFrom.name, namespace: lbFrom.namespace },
      });
      const diagnostics: Diagnostic[] = warnings.map(([field, message]) => ({
        severity: 'warning',
        code: 'policy-field-ignored',
        plugin: BCP_PLUGIN,
        message: `${merged.from[field]?.ref ?? merged.all[0]!.ref}: ${message} (cluster ${target.clusterName})`,
      }));
      const sensitiveValues = merged.all.flatMap((p) => p.sensitive);
      return {
        cluster: cluster as ClusterJson,
        ...(overrides ? { overrides } : {}),
        ...(diagnostics.length ? { diagnostics } : {}),
        ...(sensitiveValues.length ? { sensitiveValues } : {}),
      };
    },
    statuses: (ctx) => bcpStatuses(ctx, controllerName),
    crds: () => [backendConfigPolicyCrd()],
  });
}

/**
 * The Gateway API BackendTLSPolicy (docs/backend-tls-policy.md): TLS to the Services and Backends
 * it targets, verified against a CA (ConfigMap or Secret `ca.crt`) or the system CAs.
 */
export function backendTlsPolicyPlugin(options: PolicyPluginOptions = {}): BackendPlugin {
  const controllerName = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  return definePlugin({
    name: BTP_PLUGIN,
    kinds: BTP_KINDS,
    extend(target, ctx) {
      const pt = policyTarget(target);
      if (!pt) return undefined;
      const namespace = pt.object.metadata.namespace;
      const btps = readBtps(ctx, namespace);
      if (btps.length === 0) return undefined;
      const { winner } = btpsFor(pt, btps);
      if (!winner) return undefined;
      if (!winner.socket) return invalidTarget([winner], BTP_PLUGIN, target);
      // A BackendConfigPolicy's PROXY protocol wraps this socket: it emits both (docs/backend-tls-policy.md).
      const bcp = mergeBcps(pt, readBcps(ctx, namespace));
      if (bcp.invalid.length === 0 && bcp.spec.upstreamProxyProtocol) return undefined;
      return { cluster: { transportSocket: winner.socket } as ClusterJson };
    },
    statuses: (ctx) => btpStatuses(ctx, controllerName),
    crds: () => [backendTlsPolicyCrd()],
  });
}

/** Both policy plugins, in the order the preset registers them. */
export function policyPlugins(options: PolicyPluginOptions = {}): BackendPlugin[] {
  return [backendConfigPolicyPlugin(options), backendTlsPolicyPlugin(options)];
}
