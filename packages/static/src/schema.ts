import { z } from 'zod';
import { portSchema } from '@backendkit/core/helpers';
import { hostKind } from './address';

export const APP_PROTOCOLS = ['http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c', 'kubernetes.io/ws'] as const;

export const staticHostSchema = z.strictObject({
  host: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty', abort: true })
    .refine((host) => hostKind(host) !== undefined, { error: 'must be a DNS name or an IPv4/IPv6 address' }),
  port: portSchema(),
});

export const staticSchema = z.strictObject({
  hosts: z.array(staticHostSchema, { error: 'must be a list of hosts' }).min(1, { error: 'must list at least one host' }),
  // Case-insensitive, as docs/http2.md compares appProtocol values; the value is passed on as written.
  appProtocol: z
    .string({ error: 'must be a string' })
    .refine((value) => (APP_PROTOCOLS as readonly string[]).includes(value.toLowerCase()), {
      error: `must be one of ${APP_PROTOCOLS.join(', ')} (any case)`,
    })
    .describe(`One of ${APP_PROTOCOLS.join(', ')}, compared case-insensitively.`)
    .optional(),
});

export type StaticSpec = z.output<typeof staticSchema>;
export type StaticHost = z.output<typeof staticHostSchema>;
