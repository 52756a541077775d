import { hostKind } from './address';
import { APP_PROTOCOLS, type StaticHost, type StaticSpec } from './schema';

// A hand-written check of `spec.static` for the common case (core's `wellFormed` hook): the zod
// schema costs about 20 µs a spec in a fresh process, and every static Backend is read (docs/static.md,
// "Validation"; docs/performance.md, "The translation's own work"). Narrower than `staticSchema`,
// never wider: it answers only for plain objects holding nothing but the fields the schema names,
// each of the expected type and within its rules, and returns what the schema would output (new
// objects, the same fields); anything else is undefined and goes to the schema, which words the
// problems. test/well-formed.test.ts compares the two on random specs.

type Data = Record<string, unknown>;

/** An object literal or `JSON.parse` output (not an array, not a class instance). */
function isData(value: unknown): value is Data {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const PROTOCOLS: ReadonlySet<string> = new Set(APP_PROTOCOLS);

/** `spec.static` as `staticSchema` would output it, or undefined when the check cannot vouch for it. */
export function wellFormedStatic(value: unknown): StaticSpec | undefined {
  if (!isData(value)) return undefined;
  for (const key in value) if (key !== 'hosts' && key !== 'appProtocol') return undefined;
  const { hosts, appProtocol } = value;
  if (!Array.isArray(hosts) || Object.getPrototypeOf(hosts) !== Array.prototype || hosts.length === 0) return undefined;
  const read: StaticHost[] = [];
  for (let i = 0; i < hosts.length; i++) {
    const host = wellFormedHost(hosts[i]);
    if (!host) return undefined;
    read.push(host);
  }
  if (appProtocol === undefined) return Object.hasOwn(value, 'appProtocol') ? undefined : { hosts: read };
  if (typeof appProtocol !== 'string' || !PROTOCOLS.has(appProtocol.toLowerCase())) return undefined;
  return { hosts: read, appProtocol };
}

function wellFormedHost(value: unknown): StaticHost | undefined {
  if (!isData(value)) return undefined;
  for (const key in value) if (key !== 'host' && key !== 'port') return undefined;
  const { host, port } = value;
  if (typeof host !== 'string' || host === '' || hostKind(host) === undefined) return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}
