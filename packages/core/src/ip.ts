import { isIP } from 'node:net';
import { compareStrings } from './resources';

/** The four octets of a dotted IPv4 literal, or undefined. */
export function ipv4Octets(address: string): number[] | undefined {
  // Four groups of one to three digits, read without splitting: every endpoint's address comes
  // here, more than once (docs/performance.md). Anything else takes the general reading below.
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= address.length; i++) {
    const code = i < address.length ? address.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57 && digits < 3) {
      value = value * 10 + code - 48;
      digits++;
    } else if (code === 46 && digits > 0 && octets.length < 4) {
      octets.push(value);
      value = 0;
      digits = 0;
    } else {
      return ipv4OctetsParsed(address);
    }
  }
  return octets.length === 4 && octets.every((p) => p <= 255) ? octets : undefined;
}

function ipv4OctetsParsed(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

/** The eight 16-bit groups of an IPv6 literal that `isIP` accepted (`::` and a dotted tail allowed). */
export function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const octets = ipv4Octets(tail[1]!);
    if (!octets) return undefined;
    text = text.slice(0, -tail[1]!.length) + `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = rest === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * Orders addresses numerically, IPv4 before IPv6 (`10.0.0.9` before `10.0.0.10`, `fd00::2` before
 * `fd00::10`); text that is not an IP literal sorts last, by its characters. Endpoint lists use it so
 * their order reads naturally and does not depend on input order.
 */
export function compareAddresses(a: string, b: string): number {
  // Two dotted quads (nearly every endpoint) compare as 32-bit numbers: no key looked up or made.
  const p = quadValue(a);
  if (p >= 0) {
    const q = quadValue(b);
    if (q >= 0) return p - q;
  }
  const x = addressKey(a);
  const y = addressKey(b);
  if (x && y) {
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (x || y) return x ? -1 : 1;
  return compareStrings(a, b);
}

/**
 * The value of an IPv4 address written as `isIP` accepts it (four decimal parts of 0 to 255, no
 * leading zero, nothing else), or -1: the order of its `addressKey`, read without allocating.
 */
export function quadValue(address: string): number {
  const n = address.length;
  if (n < 7 || n > 15) return -1;
  let total = 0;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? address.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57) {
      // A leading zero only as the whole part ("0", never "01").
      if (digits === 1 && value === 0) return -1;
      value = value * 10 + code - 48;
      digits++;
      if (value > 255) return -1;
    } else if (code === 46 && digits > 0 && parts < 4) {
      total = total * 256 + value;
      parts++;
      value = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return parts === 4 ? total : -1;
}

/**
 * Parsed keys of recent addresses: a sort compares each address many times, and parsing it each time
 * was an allocation hot spot (docs/performance.md). Bounded: emptied when full.
 */
const keys = new Map<string, number[] | null>();
const MAX_KEYS = 100_000;

/** `[4, ...4 octets]` or `[6, ...8 groups]`; undefined when the text is not an IP literal. */
function addressKey(address: string): number[] | undefined {
  let key = keys.get(address);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = parseAddressKey(address) ?? null;
    keys.set(address, key);
  }
  return key ?? undefined;
}

function parseAddressKey(address: string): number[] | undefined {
  const unzoned = address.replace(/%.*$/, '');
  const family = isIP(unzoned);
  const parts = family === 4 ? ipv4Octets(unzoned) : family === 6 ? ipv6Groups(unzoned) : undefined;
  return parts && [family, ...parts];
}
