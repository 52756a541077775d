import { isIP } from 'node:net';
import { compareStrings } from '@backendkit/core';

/**
 * Orders IP literals numerically (IPv4 before IPv6), so `10.0.0.9` comes before `10.0.0.10` and
 * `fd00::2` before `fd00::10`. Text that is not an IP sorts last, by its characters.
 */
export function compareAddresses(a: string, b: string): number {
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

/** `[4, ...4 octets]` or `[6, ...8 groups]`; undefined when the text is not an IP literal. */
function addressKey(address: string): number[] | undefined {
  const family = isIP(address);
  if (family === 4) return [4, ...address.split('.').map(Number)];
  if (family !== 6) return undefined;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined): number[] =>
    !part
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          // An embedded IPv4 address (`::ffff:192.0.2.1`) fills the last two groups.
          const [o1, o2, o3, o4] = g.split('.').map(Number) as [number, number, number, number];
          return [o1 * 256 + o2, o3 * 256 + o4];
        });
  const first = groups(head);
  const last = groups(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - first.length - last.length).fill(0);
  return [6, ...first, ...zeros, ...last];
}
