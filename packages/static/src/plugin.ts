import { definePlugin, type BackendPlugin, type ClusterJson, type ClusterShape, type Diagnostic, type TranslatorOptions } from '@backendkit/core';
import { isIP } from 'node:net';
import { dnsCluster, frozenJson, quadValue, refusedAddress } from '@backendkit/core/helpers';
import { staticSchema, type StaticHost, type StaticSpec } from './schema';
import { wellFormedStatic } from './well-formed';

/** docs/static.md: fixed hosts. All IPs → STATIC; any DNS name → a DNS cluster (one host per address), IPv4 preferred. */
export function staticPlugin(): BackendPlugin<StaticSpec> {
  return definePlugin<StaticSpec>({
    name: '@backendkit/static',
    key: 'static',
    legacyType: 'Static',
    schema: staticSchema,
    wellFormed: wellFormedStatic,
    translate(spec, ctx) {
      // Refused here, with the path of the host, rather than by core's generic net (docs/security.md).
      const { hosts } = spec;
      if (!ctx.options.allowLocalAddresses) {
        let diagnostics: Diagnostic[] | undefined;
        for (let i = 0; i < hosts.length; i++) {
          const refusal = refusedAddress(hosts[i]!.host);
          if (refusal)
            (diagnostics ??= []).push({ severity: 'error', code: 'refused-address', message: refusal.message, path: `${ctx.path}.hosts[${i}].host` });
        }
        if (diagnostics) return { diagnostics };
      }
      let allIps = true;
      const lbEndpoints = new Array<ReturnType<typeof lbEndpoint>>(hosts.length);
      for (let i = 0; i < hosts.length; i++) {
        const host = hosts[i]!;
        // A validated host is an IP literal or a DNS name (`hostKind`): an IP is what `isIP` reads as one.
        if (allIps && quadValue(host.host) < 0 && isIP(host.host) === 0) allIps = false;
        lbEndpoints[i] = lbEndpoint(host);
      }
      const loadAssignment = { endpoints: [{ lbEndpoints }] };
      const cluster: ClusterJson = allIps ? { type: 'STATIC', loadAssignment } : { ...dnsPart(ctx.options), loadAssignment };
      // No spread for the optional field: V8 copies `{ ...a, ...b }` through a slow path (docs/performance.md).
      return spec.appProtocol ? { cluster, appProtocol: spec.appProtocol } : { cluster };
    },
  });
}

/** The DNS part of every DNS cluster, one per cluster shape, frozen: walked once per translation and shared (`frozenJson`). */
const dnsParts = new Map<ClusterShape | undefined, ClusterJson>();
function dnsPart(options: Pick<TranslatorOptions, 'clusterShape'>): ClusterJson {
  let part = dnsParts.get(options.clusterShape);
  if (!part) dnsParts.set(options.clusterShape, (part = frozenJson(dnsCluster(options))));
  return part;
}

function lbEndpoint({ host, port }: StaticHost) {
  return {
    endpoint: {
      address: { socketAddress: { address: host, portValue: port } },
      hostname: host,
      healthCheckConfig: { hostname: host },
    },
  };
}
