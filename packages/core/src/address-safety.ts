import { isIP } from 'node:net';
import { ipv4Octets, ipv6Groups, quadValue } from './ip';

/**
 * Why an upstream address is refused by default. A Backend is written by whoever may apply one, and
 * the proxy runs with more reach than they have: from it, a loopback address reaches the proxy's own
 * admin port (config dumps, `/quitquitquit`), and a link-local one the cloud metadata service
 * (169.254.169.254, which hands out the node's credentials).
 */
export type RefusalKind = 'loopback' | 'unspecified' | 'link-local' | 'metadata-service';

export interface AddressRefusal {
  kind: RefusalKind;
  /** `127.0.0.1 is a loopback address, which ...; refused unless ...` */
  message: string;
}

const WHY: Record<RefusalKind, string> = {
  loopback: 'a loopback address, which reaches the proxy itself (its admin port among others)',
  unspecified: "the unspecified address, which reaches the proxy's own host",
  'link-local': "a link-local address, on the proxy's own network link, where cloud metadata services answer (169.254.169.254)",
  'metadata-service': 'the address of a cloud metadata service',
};

const HOW_TO_ALLOW = 'refused unless the translator option allowLocalAddresses is set (CLI: --allow-local-addresses)';

/**
 * Host names that always mean the local host (RFC 6761 §6.3 and the /etc/hosts entries that Linux
 * distributions ship: Debian's `ip6-*`, Red Hat's `localhost4`/`localhost6` and their `.localdomain`s).
 */
const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'localhost4',
  'localhost4.localdomain4',
  'localhost6',
  'localhost6.localdomain6',
  'ip6-localhost',
  'ip6-loopback',
]);
/**
 * Names of metadata services: GCE's (`metadata` is found through the instance's search domain),
 * AWS's (`instance-data` through the `ec2.internal` search domain).
 */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
/**
 * Metadata services on routable IPv4 addresses, outside the link-local range: Alibaba Cloud's, and
 * Azure's WireServer (which hands a VM its certificates and extension settings).
 */
const METADATA_IPV4 = new Set(['100.100.100.200', '168.63.129.16']);
/** AWS's IPv6 metadata endpoint is a unique-local address, not a link-local one. */
const METADATA_IPV6 = [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254];

/**
 * Whether a host (an IP literal or a DNS name, as it would go into an Envoy socket address) must be
 * refused as an upstream, and why; undefined when it may be used. Also catches the IPv4-mapped IPv6
 * form of a refused IPv4 address (`::ffff:127.0.0.1`), and names that resolvers read as numbers
 * (`0x7f000001`, `127.1`). A name that merely resolves to such an address at run time cannot be seen
 * here; see docs/security.md.
 */
export function refusedAddress(host: string): AddressRefusal | undefined {
  const found = classify(host);
  if (!found) return undefined;
  const { kind, via } = found;
  const what = via === undefined ? `${host} is ${WHY[kind]}` : `${host} is ${via}, ${WHY[kind]}`;
  return { kind, message: `${what}; ${HOW_TO_ALLOW}` };
}

function classify(host: string): { kind: RefusalKind; via?: string } | undefined {
  // Most hosts are dotted quads as `isIP` reads them: read without a regular expression.
  const value = quadValue(host);
  if (value >= 0) return quadKind(value, host);
  const unzoned = host.replace(/%.*$/, '');
  const family = isIP(unzoned);
  if (family === 4) return ipv4Kind(ipv4Octets(unzoned)!);
  if (family === 6) return ipv6Kind(ipv6Groups(unzoned)!);
  const name = host.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return { kind: 'loopback', via: 'a name of the local host' };
  if (METADATA_NAMES.has(name)) return { kind: 'metadata-service' };
  const numeric = inetAton(name);
  if (numeric) {
    const kind = ipv4Kind(numeric);
    if (kind) return { kind: kind.kind, via: `read by resolvers as ${numeric.join('.')}` };
  }
  return undefined;
}

/** `ipv4Kind` of a dotted quad read as a number (`quadValue`), without a list of its octets. */
function quadKind(value: number, text: string): { kind: RefusalKind } | undefined {
  const a = Math.floor(value / 0x1000000);
  const b = Math.floor(value / 0x10000) % 256;
  if (a !== 127 && a !== 0 && !(a === 169 && b === 254) && !METADATA_IPV4.has(text)) return undefined;
  return ipv4Kind([a, b], text);
}

/** `text`: the dotted form of `octets`, when the caller has it. */
function ipv4Kind(octets: readonly number[], text?: string): { kind: RefusalKind } | undefined {
  const [a, b] = octets;
  if (METADATA_IPV4.has(text ?? octets.join('.'))) return { kind: 'metadata-service' };
  if (a === 127) return { kind: 'loopback' };
  // 0.0.0.0/8, "this host on this network": connecting to 0.0.0.0 reaches the local host.
  if (a === 0) return { kind: 'unspecified' };
  if (a === 169 && b === 254) return { kind: 'link-local' };
  return undefined;
}

function ipv6Kind(groups: readonly number[]): { kind: RefusalKind; via?: string } | undefined {
  const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(8)) return { kind: 'unspecified' };
  if (zeroUpTo(7) && groups[7] === 1) return { kind: 'loopback' };
  if ((groups[0]! & 0xffc0) === 0xfe80) return { kind: 'link-local' };
  if (groups.every((g, i) => g === METADATA_IPV6[i])) return { kind: 'metadata-service' };
  for (const form of EMBEDDING_FORMS) {
    if (!form.prefix.every((g, i) => groups[i] === g)) continue;
    const [high, low] = [groups[form.at]!, groups[form.at + 1]!];
    const v4 = [high >> 8, high & 0xff, low >> 8, low & 0xff];
    // `::2`, `::ffff` are plain IPv6 addresses, not the IPv4-compatible form of 0.0.0.x.
    if (form.name === 'IPv4-compatible' && v4[0] === 0) continue;
    const kind = ipv4Kind(v4);
    if (kind) return { kind: kind.kind, via: `the ${form.name} form of ${v4.join('.')}` };
  }
  return undefined;
}

/**
 * IPv6 addresses that carry an IPv4 address, which the host or a gateway on the way turns back into
 * that IPv4 address: a refused IPv4 address is refused in each of them. `prefix` is the leading
 * groups, `at` the group where the IPv4 address starts.
 */
const EMBEDDING_FORMS: ReadonlyArray<{ name: string; prefix: readonly number[]; at: number }> = [
  { name: 'IPv4-mapped', prefix: [0, 0, 0, 0, 0, 0xffff], at: 6 }, // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
  { name: 'IPv4-compatible', prefix: [0, 0, 0, 0, 0, 0], at: 6 }, // ::a.b.c.d (RFC 4291 §2.5.5.1)
  { name: 'IPv4-translated', prefix: [0, 0, 0, 0, 0xffff, 0], at: 6 }, // ::ffff:0:a.b.c.d (RFC 2765)
  { name: 'NAT64', prefix: [0x64, 0xff9b, 0, 0, 0, 0], at: 6 }, // 64:ff9b::/96 (RFC 6052)
  { name: '6to4', prefix: [0x2002], at: 1 }, // 2002:AABB:CCDD::/48 (RFC 3056)
];

/**
 * The IPv4 address that C resolvers (`inet_aton`, used by getaddrinfo) read from a "name" such as
 * `127.1`, `0x7f000001`, `017700000001` or `2130706433`: one to four parts, each decimal, octal
 * (leading 0) or hex (0x), the last filling the remaining bytes.
 */
function inetAton(name: string): number[] | undefined {
  const parts = name.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9]\d*$/.test(part)) value = Number(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
  const bytes = [...values];
  for (let i = 3 - values.length; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes;
}
