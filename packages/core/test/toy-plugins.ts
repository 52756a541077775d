import { z } from 'zod';
import { definePlugin, type BackendPlugin, type ClusterJson } from '@backendkit/core';
import { anyJson } from '@backendkit/core/envoy';
import { upstreamHttp } from '@backendkit/xds-types';

/** A toy type plugin: `spec.toy: {address, port}` → a STATIC cluster of one endpoint. */
export const toyPlugin = definePlugin({
  name: 'test/toy',
  key: 'toy',
  legacyType: 'Toy',
  schema: z.strictObject({ address: z.string(), port: z.number().int() }),
  translate(spec) {
    return {
      cluster: {
        type: 'STATIC',
        loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: spec.address, portValue: spec.port } } } }] }] },
      },
    };
  },
});

/** A feature plugin that adds the same cluster fields to every target. */
export function featurePlugin(name: string, cluster: ClusterJson): BackendPlugin {
  return { name, extend: () => ({ cluster }) };
}

export const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
export const HTTP_OPTIONS_TYPE = `type.googleapis.com/${HTTP_OPTIONS}`;

export function httpOptions(fields: upstreamHttp.HttpProtocolOptionsJson): ClusterJson {
  return { typedExtensionProtocolOptions: { [HTTP_OPTIONS]: anyJson(upstreamHttp.HttpProtocolOptionsSchema, fields) } };
}

export function backendYaml(name: string, spec: string, namespace = 'default'): string {
  return `apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}
