import type { BackendPlugin } from '../plugin';
import { pluginInputSchema, typePluginsByKey, type JsonSchema } from './json-schema';
import { toStructural } from './structural';

export const BACKEND_CRD_GROUP = 'gateway.kgateway.dev';
export const BACKEND_CRD_VERSION = 'v1alpha1';

/**
 * The `apiextensions.k8s.io/v1` CustomResourceDefinition of `backends.gateway.kgateway.dev`
 * (`v1alpha1`) whose `spec` schema comes from these plugins, so a cluster checks Backends as the
 * translator would (within what a structural schema can say).
 */
export function backendCrd(plugins: readonly BackendPlugin[]): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `backends.${BACKEND_CRD_GROUP}` },
    spec: {
      group: BACKEND_CRD_GROUP,
      names: { kind: 'Backend', listKind: 'BackendList', plural: 'backends', singular: 'backend', categories: ['kgateway'] },
      scope: 'Namespaced',
      versions: [
        {
          name: BACKEND_CRD_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A gateway backend: where a route sends traffic. Translated into one Envoy cluster.',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: backendSpecStructuralSchema(plugins),
                status: STATUS,
              },
              required: ['spec'],
            },
          },
        },
      ],
    },
  };
}

/** The CRDs plugins declare for the kinds they own (policies), in registration order. */
export function pluginCrds(plugins: readonly BackendPlugin[]): JsonSchema[] {
  return plugins.flatMap((p) => p.crds?.() ?? []);
}

/** `Backend.spec` as a structural OpenAPI v3 schema (the CRD's `spec` property). */
export function backendSpecStructuralSchema(plugins: readonly BackendPlugin[]): JsonSchema {
  const registry = typePluginsByKey(plugins);
  const keys = registry.keys;
  const legacyTypes = registry.legacyTypes;
  const properties: Record<string, JsonSchema> = {};
  if (legacyTypes.length > 0) properties.type = { type: 'string', enum: legacyTypes, description: 'Legacy type name; must name the type key that is set.' };
  for (const key of keys) properties[key] = keyStructural(registry.byKey.get(key)!);

  return {
    type: 'object',
    description: `exactly one of the fields in [${keys.join(' ')}] must be set`,
    properties,
    // CRD junctors may only restate constraints on fields declared above: `required` and `enum` do.
    oneOf: keys.map((key) => {
      const mine = [...new Set(registry.byKey.get(key)!.flatMap((p) => p.legacyType ?? []))];
      if (legacyTypes.length === 0) return { required: [key] };
      return mine.length > 0 ? { required: [key], properties: { type: { enum: mine } } } : { required: [key], not: { required: ['type'] } };
    }),
  };
}

function keyStructural(owners: readonly BackendPlugin[]): JsonSchema {
  if (owners.length === 1 && owners[0]!.variant === undefined) return toStructural(pluginInputSchema(owners[0]!));
  // A structural schema declares every field once: the variants' fields are merged into one object,
  // required where every variant requires them, and a oneOf picks exactly one variant field.
  const variants = owners.map((o) => ({ variant: o.variant!, schema: toStructural(pluginInputSchema(o)) }));
  const properties: Record<string, JsonSchema> = {};
  for (const { schema } of variants) {
    for (const [field, value] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) properties[field] ??= value;
  }
  const requiredBy = (schema: JsonSchema) => new Set((schema.required as string[] | undefined) ?? []);
  const names = new Set(owners.map((o) => o.variant));
  const common = [...requiredBy(variants[0]!.schema)].filter((f) => !names.has(f) && variants.every((v) => requiredBy(v.schema).has(f)));
  return {
    type: 'object',
    description: `exactly one of the fields in [${owners.map((o) => o.variant).join(' ')}] must be set`,
    properties,
    ...(common.length > 0 ? { required: common } : {}),
    oneOf: variants.map(({ variant }) => ({ required: [variant] })),
  };
}

/**
 * The `conditions` list of a status, as Kubernetes' `metav1.Condition` has it: for the Backend CRD and for
 * plugins' CRDs (a policy's status), so each does not write its own.
 */
export const CONDITIONS_SCHEMA: JsonSchema = {
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  items: {
    type: 'object',
    required: ['type', 'status'],
    properties: {
      type: { type: 'string' },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      reason: { type: 'string' },
      message: { type: 'string', maxLength: 32768 },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      observedGeneration: { type: 'integer', format: 'int64' },
    },
  },
};

const STATUS: JsonSchema = { type: 'object', properties: { conditions: CONDITIONS_SCHEMA } };
