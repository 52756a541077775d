import { z } from 'zod';
import { targetRefSchema, targetSelectorSchema } from './targets-schema';
import { DURATION_PATTERN, durationMs, INVALID_DURATION, quantity } from './units';

// The CRD's rules, with kgateway's CEL messages (docs/backend-config-policy.md, "Validation").

const duration = z
  .string({ error: 'must be a duration string' })
  .max(32, { error: 'must be at most 32 characters' })
  .regex(DURATION_PATTERN, { error: INVALID_DURATION });
const atLeast = (min: number, message: string) => duration.refine((d) => !DURATION_PATTERN.test(d) || durationMs(d) >= min, { error: message });
const int = (min: number, max = 2147483647) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
const bool = z.boolean({ error: 'must be true or false' });

const WINDOW_MESSAGE = (field: string) => `${field} must be between 65535 and 2147483647 bytes (inclusive)`;
const windowSize = (field: string) =>
  z.union([z.number(), z.string()], { error: WINDOW_MESSAGE(field) }).transform((value, ctx) => {
    const bytes = quantity(value);
    if (bytes === undefined || !Number.isInteger(bytes) || bytes < 65535 || bytes > 2147483647) {
      ctx.addIssue({ code: 'custom', message: WINDOW_MESSAGE(field) });
      return z.NEVER;
    }
    return bytes;
  });

const tcpKeepalive = z.strictObject({
  keepAliveProbes: int(0).optional(),
  keepAliveTime: atLeast(1000, 'keepAliveTime must be at least 1 second').optional(),
  keepAliveInterval: atLeast(1000, 'keepAliveInterval must be at least 1 second').optional(),
});

const commonHttpProtocolOptions = z.strictObject({
  idleTimeout: duration.optional(),
  maxConnectionDuration: duration.optional(),
  maxHeadersCount: int(0).optional(),
  maxStreamDuration: duration.optional(),
  maxRequestsPerConnection: int(0).optional(),
});

const http1ProtocolOptions = z.strictObject({
  enableTrailers: bool.optional(),
  preserveHttp1HeaderCase: bool.optional(),
  overrideStreamErrorOnInvalidHttpMessage: bool.optional(),
});

const http2ProtocolOptions = z.strictObject({
  initialStreamWindowSize: windowSize('InitialStreamWindowSize').optional(),
  initialConnectionWindowSize: windowSize('InitialConnectionWindowSize').optional(),
  maxConcurrentStreams: int(1).optional(),
  overrideStreamErrorOnInvalidHttpMessage: bool.optional(),
  connectionKeepalive: z
    .strictObject({
      timeout: atLeast(1, 'timeout must be at least 1ms'),
      interval: atLeast(1, 'interval must be at least 1ms').optional(),
      connectionIdleInterval: atLeast(1, 'connectionIdleInterval must be at least 1ms').optional(),
    })
    .optional(),
});

const TLS_VERSIONS = ['AUTO', '1.0', '1.1', '1.2', '1.3'] as const;
const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

const tls = z
  .strictObject({
    secretRef: z.strictObject({ name: nonEmpty }).optional(),
    files: z
      .strictObject({ tlsCertificate: nonEmpty.optional(), tlsKey: nonEmpty.optional(), rootCA: nonEmpty.optional() })
      .refine((f) => f.tlsCertificate !== undefined || f.tlsKey !== undefined || f.rootCA !== undefined, {
        error: 'At least one of tlsCertificate, tlsKey, or rootCA must be set in TLSFiles',
      })
      .optional(),
    wellKnownCACertificates: z.literal('System', { error: 'must be System' }).optional(),
    insecureSkipVerify: bool.optional(),
    sni: nonEmpty.optional(),
    verifySubjectAltNames: z.array(z.string({ error: 'must be a string' })).optional(),
    parameters: z
      .strictObject({
        minVersion: z.enum(TLS_VERSIONS, { error: `must be one of ${TLS_VERSIONS.join(', ')}` }).optional(),
        maxVersion: z.enum(TLS_VERSIONS, { error: `must be one of ${TLS_VERSIONS.join(', ')}` }).optional(),
        cipherSuites: z.array(z.string()).optional(),
        ecdhCurves: z.array(z.string()).optional(),
        signatureAlgorithms: z.array(z.string()).optional(),
      })
      .optional(),
    alpnProtocols: z.array(z.string()).optional(),
    allowRenegotiation: bool.optional(),
    simpleTLS: bool.optional(),
  })
  .superRefine((t, ctx) => {
    // `has()` in the CEL rule: `insecureSkipVerify: false` counts as set (kgateway's rule, followed).
    const set = (['secretRef', 'files', 'insecureSkipVerify', 'wellKnownCACertificates'] as const).filter((k) => t[k] !== undefined);
    if (set.length !== 1)
      ctx.addIssue({ code: 'custom', message: 'exactly one of the fields in [secretRef files insecureSkipVerify wellKnownCACertificates] must be set' });
  });

const slowStart = z.strictObject({
  window: duration.optional(),
  aggression: z
    .string({ error: 'must be a string' })
    .refine((a) => /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(a) && Number(a) > 0, {
      error: 'Aggression, if specified, must be a string representing a number greater than 0.0',
    })
    .optional(),
  minWeightPercent: int(0, 100).optional(),
});

const hashPolicy = z
  .strictObject({
    header: z.strictObject({ name: nonEmpty }).optional(),
    cookie: z
      .strictObject({
        name: nonEmpty,
        path: z.string().optional(),
        ttl: duration.optional(),
        secure: bool.optional(),
        httpOnly: bool.optional(),
        sameSite: z.enum(['Strict', 'Lax', 'None'], { error: 'must be one of Strict, Lax, None' }).optional(),
      })
      .optional(),
    sourceIP: z.strictObject({}).optional(),
    terminal: bool.optional(),
  })
  .superRefine((h, ctx) => {
    const set = (['header', 'cookie', 'sourceIP'] as const).filter((k) => h[k] !== undefined);
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: 'exactly one of the fields in [header cookie sourceIP] must be set' });
  });

const hashing = {
  useHostnameForHashing: bool.optional(),
  hashPolicies: z.array(hashPolicy).min(1, { error: 'must list at least one hash policy' }).max(16, { error: 'must list at most 16 hash policies' }).optional(),
};

const LB_KINDS = ['leastRequest', 'roundRobin', 'ringHash', 'maglev', 'random'] as const;

const loadBalancer = z
  .strictObject({
    healthyPanicThreshold: int(0, 100).optional(),
    updateMergeWindow: duration.optional(),
    leastRequest: z.strictObject({ choiceCount: int(0).default(2), slowStart: slowStart.optional() }).optional(),
    roundRobin: z.strictObject({ slowStart: slowStart.optional() }).optional(),
    ringHash: z
      .strictObject({ minimumRingSize: int(0, Number.MAX_SAFE_INTEGER).optional(), maximumRingSize: int(0, Number.MAX_SAFE_INTEGER).optional(), ...hashing })
      .optional(),
    maglev: z.strictObject(hashing).optional(),
    random: z.strictObject({}).optional(),
    localityType: z.literal('WeightedLb', { error: 'must be WeightedLb' }).optional(),
    zoneAware: z
      .strictObject({
        preferLocal: z
          .strictObject({
            force: z.strictObject({ minEndpointsInZoneThreshold: int(1, 4294967295).default(1) }).optional(),
            minEndpointsThreshold: int(1, Number.MAX_SAFE_INTEGER).default(6),
            routingEnabled: int(0, 100).default(100),
          })
          .optional(),
      })
      .refine((z) => z.preferLocal !== undefined, { error: 'at least one of the fields in [preferLocal] must be set' })
      .optional(),
    closeConnectionsOnHostSetChange: bool.optional(),
  })
  .superRefine((lb, ctx) => {
    const set = LB_KINDS.filter((k) => lb[k] !== undefined);
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: `exactly one of the fields in [${LB_KINDS.join(' ')}] must be set` });
    if (lb.localityType !== undefined && lb.zoneAware !== undefined)
      ctx.addIssue({ code: 'custom', message: 'localityType and zoneAware are mutually exclusive' });
    if ((lb.ringHash || lb.maglev) && lb.zoneAware)
      ctx.addIssue({ code: 'custom', message: 'zoneAware is not supported with ringHash or maglev load balancers' });
  });

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'] as const;

const healthCheck = z
  .strictObject({
    timeout: duration,
    interval: duration,
    unhealthyThreshold: int(0),
    healthyThreshold: int(0),
    http: z
      .strictObject({
        host: z.string().optional(),
        path: z.string({ error: 'must be a string' }),
        method: z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }).optional(),
      })
      .optional(),
    grpc: z.strictObject({ serviceName: z.string().optional(), authority: z.string().optional() }).optional(),
  })
  .refine((h) => (h.http !== undefined) !== (h.grpc !== undefined), { error: 'exactly one of http or grpc must be set' });

const outlierDetection = z.strictObject({
  consecutive5xx: int(0).default(5),
  enforcingConsecutive5xx: int(0, 100).optional(),
  splitExternalLocalOriginErrors: bool.optional(),
  consecutiveLocalOriginFailure: int(0).optional(),
  enforcingConsecutiveLocalOriginFailure: int(0, 100).optional(),
  interval: atLeast(1, 'interval must be at least 1ms').default('10s'),
  baseEjectionTime: atLeast(1, 'baseEjectionTime must be at least 1ms').default('30s'),
  maxEjectionPercent: int(0, 100).default(10),
});

const circuitBreakers = z
  .strictObject({
    maxConnections: int(1).optional(),
    maxPendingRequests: int(1).optional(),
    maxRequests: int(1).optional(),
    maxRetries: int(0).optional(),
    trackRemaining: bool.optional(),
  })
  .refine((c) => c.maxConnections !== undefined || c.maxPendingRequests !== undefined || c.maxRequests !== undefined || c.maxRetries !== undefined, {
    error: 'at least one of the fields in [maxConnections maxPendingRequests maxRequests maxRetries] must be set',
  });

const dns = z
  .strictObject({
    refreshRate: atLeast(1, 'refreshRate must be at least 1ms').optional(),
    jitter: duration.optional(),
    respectTTL: bool.optional(),
  })
  .refine(
    (d) =>
      d.jitter === undefined ||
      d.refreshRate === undefined ||
      !DURATION_PATTERN.test(d.jitter) ||
      !DURATION_PATTERN.test(d.refreshRate) ||
      durationMs(d.jitter) <= durationMs(d.refreshRate),
    { error: 'jitter must be less than or equal to refreshRate' },
  );

export const ALLOWED_BCP_TARGETS = [
  ['', 'Service'],
  ['gateway.kgateway.dev', 'Backend'],
  ['networking.istio.io', 'Hostname'],
] as const;
const allowed = (r: { group: string; kind: string }) => ALLOWED_BCP_TARGETS.some(([g, k]) => r.group === g && r.kind === k);

export const bcpSpecSchema = z
  .strictObject({
    targetRefs: z
      .array(targetRefSchema)
      .min(1, { error: 'must list at least one target' })
      .max(16, { error: 'must list at most 16 targets' })
      .refine((refs) => refs.every(allowed), { error: 'TargetRefs must reference either a Kubernetes Service, a Backend, or an Istio Hostname' })
      .optional(),
    targetSelectors: z
      .array(targetSelectorSchema)
      .refine((refs) => refs.every(allowed), { error: 'TargetSelectors must reference either a Kubernetes Service, a Backend, or an Istio Hostname' })
      .optional(),
    connectTimeout: duration.optional(),
    dns: dns.optional(),
    perConnectionBufferLimitBytes: int(0).optional(),
    tcpKeepalive: tcpKeepalive.optional(),
    commonHttpProtocolOptions: commonHttpProtocolOptions.optional(),
    http1ProtocolOptions: http1ProtocolOptions.optional(),
    http2ProtocolOptions: http2ProtocolOptions.optional(),
    tls: tls.optional(),
    loadBalancer: loadBalancer.optional(),
    healthCheck: healthCheck.optional(),
    outlierDetection: outlierDetection.optional(),
    circuitBreakers: circuitBreakers.optional(),
    upstreamProxyProtocol: z.strictObject({ version: z.enum(['V1', 'V2'], { error: 'must be V1 or V2' }).default('V1') }).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.http1ProtocolOptions !== undefined && spec.http2ProtocolOptions !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of the fields in [http1ProtocolOptions http2ProtocolOptions] may be set' });
    }
  });

export type BcpSpec = z.output<typeof bcpSpecSchema>;
export type BcpTls = NonNullable<BcpSpec['tls']>;
export type BcpLoadBalancer = NonNullable<BcpSpec['loadBalancer']>;
/** The top-level fields that merge across policies, in kgateway's order of application. */
export const BCP_FIELDS = [
  'connectTimeout',
  'perConnectionBufferLimitBytes',
  'tcpKeepalive',
  'commonHttpProtocolOptions',
  'http1ProtocolOptions',
  'http2ProtocolOptions',
  'tls',
  'upstreamProxyProtocol',
  'loadBalancer',
  'healthCheck',
  'outlierDetection',
  'circuitBreakers',
  'dns',
] as const satisfies ReadonlyArray<keyof BcpSpec>;
