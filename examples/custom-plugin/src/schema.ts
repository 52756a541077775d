import { z } from 'zod';

/**
 * `spec.dynamicForwardProxy` as kgateway defines it. The object may be empty: the upstream host is
 * not configured here but taken from each request (its Host / :authority header).
 */
export const dynamicForwardProxySchema = z.strictObject({
  /** Originate TLS to the upstream, trusting the system's CA bundle. */
  enableTls: z.boolean({ error: 'must be true or false' }).default(false),
});

/** What `translate` receives: defaults applied. */
export type DynamicForwardProxySpec = z.output<typeof dynamicForwardProxySchema>;
