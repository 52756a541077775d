import type { KubeObject, TranslateContext } from '@backendkit/core';
import type { PolicyTarget } from './attach';
import { BCP_FIELDS, bcpSpecSchema, type BcpSpec } from './bcp-schema';
import { buildBcpTls } from './bcp-tls';
import { BCP_API_VERSION, BCP_GROUP, BCP_KIND, policyRef } from './kinds';
import { attached, readKey, readPolicy, secrets, type ReadPolicy } from './policies';

export const BCP_PLUGIN = '@backendkit/backend-config-policy';

export interface ReadBcp extends ReadPolicy<BcpSpec> {
  /** The TLS socket of `spec.tls`, built once. */
  tlsSocket?: Record<string, unknown>;
}

/** The BackendConfigPolicies (of one namespace, or all), read and checked once per translation. */
export function readBcps(ctx: TranslateContext, namespace?: string): ReadBcp[] {
  return ctx.shared(readKey(BCP_PLUGIN, namespace), (c) =>
    // Objects given in code skip the loader's apiVersion check: another version is not this kind.
    c.resources
      .list(BCP_KIND, namespace)
      .filter((o) => o.apiVersion === BCP_API_VERSION)
      .map((object) => readBcp(object, c)),
  );
}

function readBcp(object: KubeObject, ctx: TranslateContext): ReadBcp {
  let tlsSocket: Record<string, unknown> | undefined;
  const policy = readPolicy(object, policyRef(BCP_GROUP, object), bcpSpecSchema, BCP_PLUGIN, (spec, report, sensitive) => {
    if (!spec.tls) return;
    const ns = object.metadata.namespace;
    const secret = spec.tls.secretRef ? secrets(ctx).get(ns, spec.tls.secretRef.name) : undefined;
    const built = buildBcpTls(spec.tls, secret, ns);
    sensitive.push(...built.sensitive);
    for (const error of built.errors) report(error, 'spec.tls');
    tlsSocket = built.socket;
  });
  return { ...policy, ...(tlsSocket ? { tlsSocket } : {}) };
}

/** The policies on one target merged field by field: the first (oldest) to set a field wins it whole. */
export interface MergedBcp {
  spec: Partial<BcpSpec>;
  /** Which policy each field came from. */
  from: Partial<Record<(typeof BCP_FIELDS)[number], ReadBcp>>;
  /** Policies with errors: any one makes the target invalid (kgateway carries the errors into the merge). */
  invalid: ReadBcp[];
  all: ReadBcp[];
}

export function mergeBcps(target: PolicyTarget, bcps: readonly ReadBcp[]): MergedBcp {
  const all = attached(bcps, target);
  const merged: MergedBcp = { spec: {}, from: {}, invalid: all.filter((p) => !p.spec), all };
  const spec = merged.spec as Record<string, unknown>;
  for (const policy of all) {
    if (!policy.spec) continue;
    for (const field of BCP_FIELDS) {
      const value = policy.spec[field];
      if (value === undefined) continue;
      if (field === 'dns') {
        // The three dns fields merge one by one.
        const dns = { ...(spec.dns as object | undefined) } as Record<string, unknown>;
        for (const [k, v] of Object.entries(value)) if (v !== undefined && dns[k] === undefined) dns[k] = v;
        spec.dns = dns;
        merged.from.dns ??= policy;
        continue;
      }
      if (spec[field] !== undefined) continue;
      spec[field] = value;
      merged.from[field] = policy;
    }
  }
  return merged;
}
