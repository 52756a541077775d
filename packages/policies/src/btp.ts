import { type KubeObject, type TranslateContext } from '@backendkit/core';
import { z } from 'zod';
import type { PolicyTarget } from './attach';
import { BTP_API_VERSIONS, BTP_GROUP, BTP_KIND, policyRef } from './kinds';
import { reencodeCertificates } from './pem';
import { attached, readKey, readPolicy, secrets, type ReadPolicy } from './policies';
import { targetRefSchema } from './targets-schema';
import { tlsSocket, validation, type SanMatch } from './tls-context';

export const BTP_PLUGIN = '@backendkit/backend-tls-policy';

const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

export const btpSpecSchema = z.strictObject({
  targetRefs: z
    .array(targetRefSchema)
    .min(1, { error: 'must list at least one target' })
    .max(16, { error: 'must list at most 16 targets' })
    .refine((refs) => refs.every((r) => (r.group === '' && r.kind === 'Service') || (r.group === 'gateway.kgateway.dev' && r.kind === 'Backend')), {
      error: 'TargetRefs must reference either a Kubernetes Service or a Backend',
    }),
  validation: z
    .strictObject({
      caCertificateRefs: z
        .array(z.strictObject({ group: z.string({ error: 'must be a string' }), kind: nonEmpty, name: nonEmpty }))
        .max(8, { error: 'must list at most 8 references' })
        .optional(),
      wellKnownCACertificates: z.literal('System', { error: 'must be System' }).optional(),
      hostname: nonEmpty,
      subjectAltNames: z
        .array(
          z
            .strictObject({
              type: z.enum(['Hostname', 'URI'], { error: 'must be Hostname or URI' }),
              hostname: z.string().optional(),
              uri: z.string().optional(),
            })
            .refine((s) => (s.type === 'Hostname' ? !!s.hostname && s.uri === undefined : !!s.uri && s.hostname === undefined), {
              error: 'SubjectAltName element must contain Hostname, if Type is set to Hostname, or URI, if Type is set to URI',
            }),
        )
        .max(16, { error: 'must list at most 16 names' })
        .optional(),
    })
    .superRefine((v, ctx) => {
      const refs = (v.caCertificateRefs ?? []).length > 0;
      if (refs && v.wellKnownCACertificates) ctx.addIssue({ code: 'custom', message: 'must not contain both CACertificateRefs and WellKnownCACertificates' });
      if (!refs && !v.wellKnownCACertificates) ctx.addIssue({ code: 'custom', message: 'must specify either CACertificateRefs or WellKnownCACertificates' });
    }),
  options: z.record(z.string(), z.string()).optional(),
});

export type BtpSpec = z.output<typeof btpSpecSchema>;

/** A BackendTLSPolicy with its TLS socket built (when valid), and the CA problem kgateway reports. */
export interface ReadBtp extends ReadPolicy<BtpSpec> {
  socket?: Record<string, unknown>;
  /** `InvalidCACertificateRef` or `InvalidKind` when the CA ref is the problem. */
  refReason?: string;
}

/** The BackendTLSPolicies (of one namespace, or all), read and checked once per translation. */
export function readBtps(ctx: TranslateContext, namespace?: string): ReadBtp[] {
  const versions: readonly string[] = BTP_API_VERSIONS;
  return ctx.shared(readKey(BTP_PLUGIN, namespace), (c) =>
    c.resources
      .list(BTP_KIND, namespace)
      .filter((o) => versions.includes(o.apiVersion))
      .map((object) => readBtp(object, c)),
  );
}

function readBtp(object: KubeObject, ctx: TranslateContext): ReadBtp {
  let refReason: string | undefined;
  let socket: Record<string, unknown> | undefined;
  const policy = readPolicy(object, policyRef(BTP_GROUP, object), btpSpecSchema, BTP_PLUGIN, (spec, report) => {
    const { hostname, subjectAltNames, caCertificateRefs } = spec.validation;
    const sans: SanMatch[] =
      subjectAltNames && subjectAltNames.length > 0
        ? subjectAltNames.map((s) => (s.type === 'Hostname' ? { type: 'DNS', value: s.hostname! } : { type: 'URI', value: s.uri! }))
        : [{ type: 'DNS', value: hostname }];
    if (spec.validation.wellKnownCACertificates === 'System') {
      socket = tlsSocket({ commonTlsContext: validation({ systemCa: true, sans }), sni: hostname });
      return;
    }
    // Only the first ref is used, as in kgateway (docs/backend-tls-policy.md).
    const first = caCertificateRefs![0]!;
    const fail = (reason: string, cause: string) => {
      refReason = reason;
      report(`invalid CA certificate ref ${first.kind}/${first.name}: ${cause}`, 'spec.validation.caCertificateRefs[0]');
    };
    let data: Readonly<Record<string, string | undefined>> | undefined;
    const ns = object.metadata.namespace;
    if (first.kind === 'ConfigMap') {
      const configMap = ctx.resources.get('ConfigMap', ns, first.name);
      data = configMap ? configMapData(configMap) : undefined;
      if (!data) return fail('InvalidCACertificateRef', `ConfigMap ${ns}/${first.name} not found`);
    } else if (first.kind === 'Secret') {
      const secret = secrets(ctx).get(ns, first.name);
      data = secret;
      if (!data) return fail('InvalidCACertificateRef', `Secret ${ns}/${first.name} not found`);
    } else {
      return fail('InvalidKind', `kind ${first.kind} is not supported: use ConfigMap or Secret`);
    }
    const ca = data['ca.crt'];
    if (!ca) return fail('InvalidCACertificateRef', 'key ca.crt not found');
    const cleaned = reencodeCertificates(ca);
    if ('error' in cleaned) return fail('InvalidCACertificateRef', cleaned.error);
    socket = tlsSocket({ commonTlsContext: { tlsParams: {}, ...validation({ trustedCa: { inlineString: cleaned.pem }, sans }) }, sni: hostname });
  });
  return { ...policy, ...(policy.spec && socket ? { socket } : {}), ...(refReason ? { refReason } : {}) };
}

function configMapData(configMap: KubeObject): Record<string, string | undefined> {
  const data = configMap.data;
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
}

/** Which BackendTLSPolicies apply to a target: port-specific ones hide service-wide ones; the oldest wins. */
export function btpsFor(target: PolicyTarget, btps: readonly ReadBtp[]): { winner?: ReadBtp; losers: ReadBtp[]; all: ReadBtp[] } {
  let all = attached(btps, target);
  const portSpecific = all.filter((p) => p.via.ref?.sectionName !== undefined);
  if (portSpecific.length > 0) all = portSpecific;
  const [winner, ...losers] = all;
  return { ...(winner ? { winner } : {}), losers, all };
}
