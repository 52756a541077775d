import { z } from 'zod';
import { definePlugin, type BackendPlugin } from '@backendkit/core';
import { backendClusterName, isPlainObject } from '@backendkit/core/helpers';
import { KUBERNETES_KINDS, serviceRefKind } from '@backendkit/kubernetes';

/**
 * A custom type plugin that also makes its own kind referenceable: `storage.example.com/Bucket`
 * refs resolve to Backends of type `bucket` (a STATIC cluster of one address).
 */
export function bucketPlugin(): BackendPlugin {
  return definePlugin({
    name: 'test/bucket',
    key: 'bucket',
    schema: z.strictObject({ address: z.string(), port: z.number().int() }),
    translate(spec) {
      const endpoint = { address: { socketAddress: { address: spec.address, portValue: spec.port } } };
      return { cluster: { type: 'STATIC', loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint }] }] } } };
    },
    refKinds: [
      {
        group: 'storage.example.com',
        kind: 'Bucket',
        resolve({ namespace, name }, ctx) {
          const backend = ctx.resources.get('Backend', namespace, name);
          const isBucket = backend !== undefined && isPlainObject(backend.spec) && backend.spec.bucket !== undefined;
          return isBucket ? { cluster: backendClusterName(namespace, name) } : { notFound: `Bucket ${namespace}/${name} not found` };
        },
      },
    ],
  });
}

/**
 * The kubernetes plugin's Service refs without its Service clusters: routing's goldens show how refs
 * resolve, not the clusters behind them (the kubernetes package tests both together).
 */
export function serviceRefsPlugin(): BackendPlugin {
  return { name: 'test/service-refs', kinds: { Service: KUBERNETES_KINDS.Service! }, refKinds: [serviceRefKind] };
}
