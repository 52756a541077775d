import { z } from 'zod';
import { portSchema } from '@backendkit/core/helpers';

const port = portSchema;

// Names are not checked against Kubernetes' naming rules: whatever Service exists can be named, and
// one that does not is reported as not found.
const objectName = () => z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

/** docs/kubernetes.md: `spec.kubernetes` of a Backend, which stands for one port of a Service. */
export const kubernetesSchema = z.strictObject({
  serviceName: objectName(),
  serviceNamespace: objectName().optional(),
  servicePort: port(),
});

export type KubernetesSpec = z.output<typeof kubernetesSchema>;

/**
 * The parts of a `v1` Service this plugin reads. Objects are not strict: a real Service carries many
 * fields (selector, clusterIP, ...) that do not matter here.
 */
export const servicePortSchema = z.object({
  name: z.string({ error: 'must be a string' }).optional(),
  port: port(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP'], { error: 'must be one of TCP, UDP, SCTP' }).optional(),
  appProtocol: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  targetPort: z.union([port(), z.string().min(1)], { error: 'must be a port number or a port name' }).optional(),
});

export const serviceSchema = z
  .object({
    spec: z.object({ ports: z.array(servicePortSchema, { error: 'must be a list of ports' }).nullish() }, { error: 'must be an object' }),
  })
  .superRefine((service, ctx) => {
    // Kubernetes' own rules on ports; endpoint matching by name depends on them.
    const ports = service.spec.ports ?? [];
    const names = new Map<string, number>();
    const numbers = new Map<string, number>();
    ports.forEach((p, i) => {
      const name = p.name ?? '';
      if (ports.length > 1 && name === '') {
        ctx.addIssue({ code: 'custom', path: ['spec', 'ports', i, 'name'], message: 'required when a Service has several ports' });
      }
      if (name !== '' && names.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'ports', i, 'name'], message: `duplicates the name of spec.ports[${names.get(name)}]` });
      }
      const key = `${p.port}/${p.protocol ?? 'TCP'}`;
      if (numbers.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'ports', i, 'port'], message: `duplicates ${key} of spec.ports[${numbers.get(key)}]` });
      }
      if (name !== '') names.set(name, names.get(name) ?? i);
      numbers.set(key, numbers.get(key) ?? i);
    });
  });

export type ServicePortSpec = z.output<typeof servicePortSchema>;

/** The parts of a `discovery.k8s.io/v1` EndpointSlice this plugin reads. */
export const endpointSliceSchema = z.object({
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN'], { error: 'must be one of IPv4, IPv6, FQDN' }),
  endpoints: z
    .array(
      z.object({
        addresses: z
          .array(z.string({ error: 'must be a string' }), { error: 'must be a list of addresses' })
          .min(1, { error: 'must list at least one address' }),
        conditions: z.object({ ready: z.boolean({ error: 'must be true or false' }).nullish() }, { error: 'must be an object' }).nullish(),
        zone: z.string({ error: 'must be a string' }).nullish(),
        // Only a Pod target is followed (for its Node's locality); other kinds are left alone.
        targetRef: z
          .looseObject(
            {
              kind: z.string({ error: 'must be a string' }).nullish(),
              name: z.string({ error: 'must be a string' }).nullish(),
              namespace: z.string({ error: 'must be a string' }).nullish(),
            },
            { error: 'must be an object' },
          )
          .nullish(),
      }),
      { error: 'must be a list of endpoints' },
    )
    .nullish(),
  ports: z
    .array(
      z.object({
        name: z.string({ error: 'must be a string' }).nullish(),
        port: port().nullish(),
      }),
      { error: 'must be a list of ports' },
    )
    .nullish(),
});

export type EndpointSliceSpec = z.output<typeof endpointSliceSchema>;
