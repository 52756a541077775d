import { CONDITIONS_SCHEMA as CONDITIONS, toStructural, type JsonSchema } from '@backendkit/core/schema';
import { z } from 'zod';
import { bcpSpecSchema } from './bcp-schema';
import { btpSpecSchema } from './btp';

/** A zod schema of user input as JSON Schema (draft 2020-12), defaults included. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/**
 * What the policy plugins write (docs/backend-config-policy.md, "Status"): top-level `conditions`, and
 * Gateway API's `PolicyStatus.ancestors` (at most 16 `PolicyAncestorStatus` entries).
 */
const STATUS: JsonSchema = {
  type: 'object',
  properties: {
    conditions: CONDITIONS,
    ancestors: {
      type: 'array',
      maxItems: 16,
      items: {
        type: 'object',
        required: ['ancestorRef', 'controllerName'],
        properties: {
          ancestorRef: {
            type: 'object',
            required: ['name'],
            properties: {
              group: { type: 'string' },
              kind: { type: 'string' },
              namespace: { type: 'string' },
              name: { type: 'string' },
              sectionName: { type: 'string' },
              port: { type: 'integer', format: 'int32' },
            },
          },
          controllerName: { type: 'string' },
          conditions: CONDITIONS,
        },
      },
    },
  },
};

function crd(
  group: string,
  kind: string,
  plural: string,
  versions: ReadonlyArray<{ name: string; storage: boolean }>,
  spec: JsonSchema,
  description: string,
): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: versions.map(({ name, storage }) => ({
        name,
        served: true,
        storage,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description,
            properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec, status: STATUS },
            required: ['spec'],
          },
        },
      })),
    },
  };
}

/** The CRD of `backendconfigpolicies.gateway.kgateway.dev` (v1alpha1) as backendkit reads it. */
export function backendConfigPolicyCrd(): JsonSchema {
  return crd(
    'gateway.kgateway.dev',
    'BackendConfigPolicy',
    'backendconfigpolicies',
    [{ name: 'v1alpha1', storage: true }],
    toStructural(inputJsonSchema(bcpSpecSchema)),
    'Connection, TLS, load balancing and health checking for the Services and Backends it targets.',
  );
}

/** The CRD of `backendtlspolicies.gateway.networking.k8s.io` (v1, and v1alpha3 served) as backendkit reads it. */
export function backendTlsPolicyCrd(): JsonSchema {
  return crd(
    'gateway.networking.k8s.io',
    'BackendTLSPolicy',
    'backendtlspolicies',
    [
      { name: 'v1', storage: true },
      { name: 'v1alpha3', storage: false },
    ],
    toStructural(inputJsonSchema(btpSpecSchema)),
    'TLS from the gateway to the Services and Backends it targets.',
  );
}
