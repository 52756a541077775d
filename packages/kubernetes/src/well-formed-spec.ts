import type { KubernetesSpec } from './schema';

// A hand-written check of a Backend's `spec.kubernetes` for the common case (core's `wellFormed`
// hook; docs/performance.md, "The translation's own work"), beside the checks of Services and
// slices in well-formed.ts. Narrower than `kubernetesSchema`, never wider; anything else goes to
// the schema, which words the problems. test/well-formed.test.ts compares the two.

/** `spec.kubernetes` as `kubernetesSchema` would output it, or undefined when the check cannot vouch for it. */
export function wellFormedKubernetes(value: unknown): KubernetesSpec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const spec = value as Record<string, unknown>;
  for (const key in spec) {
    if ((key !== 'serviceName' && key !== 'serviceNamespace' && key !== 'servicePort') || spec[key] === undefined) return undefined;
  }
  const { serviceName, serviceNamespace, servicePort } = spec;
  if (typeof serviceName !== 'string' || serviceName === '') return undefined;
  if (typeof servicePort !== 'number' || !Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) return undefined;
  if (serviceNamespace === undefined) return { serviceName, servicePort };
  return typeof serviceNamespace === 'string' && serviceNamespace !== '' ? { serviceName, serviceNamespace, servicePort } : undefined;
}
