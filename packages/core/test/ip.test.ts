import fc from 'fast-check';
import { compareAddresses } from '@backendkit/core/helpers';
import { isIP } from 'node:net';
import { ipv4Octets, quadValue } from '../src/ip';

/** Texts made of dot-separated parts (numbers, odd spellings, anything), and free text. */
const dottedTexts = (odd: string[]) => {
  const part = fc.oneof(fc.nat({ max: 300 }).map(String), fc.constantFrom(...odd), fc.string({ maxLength: 3 }));
  return fc.oneof(
    fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
    fc.string({ maxLength: 16 }),
  );
};

describe('compareAddresses', () => {
  test('IPv4 numerically, then IPv6 numerically, then anything else', () => {
    const sorted = ['fd00::10', '10.0.0.10', 'zzz', '::ffff:192.0.2.1', '10.0.0.9', 'fd00::2', '9.255.255.255', '::1', 'fd00:0:0:0:0:0:0:3'].sort(
      compareAddresses,
    );
    expect(sorted).toEqual(['9.255.255.255', '10.0.0.9', '10.0.0.10', '::1', '::ffff:192.0.2.1', 'fd00::2', 'fd00:0:0:0:0:0:0:3', 'fd00::10', 'zzz']);
  });
});

describe('quadValue (two dotted quads compare without a parsed key)', () => {
  // What it stands for: the address as a 32-bit number, for a text `isIP` reads as IPv4.
  const reference = (address: string) => (isIP(address) === 4 ? address.split('.').reduce((n, p) => n * 256 + Number(p), 0) : -1);

  test('dotted quads as isIP reads them, and what is not one', () => {
    expect(quadValue('10.0.0.1')).toBe(0x0a000001);
    expect(quadValue('0.0.0.0')).toBe(0);
    expect(quadValue('255.255.255.255')).toBe(0xffffffff);
    for (const text of ['010.0.0.1', '10.0.0.01', '256.0.0.1', '1.2.3', '1.2.3.4.5', '127.0.0.1%eth0', '1.2.3.4 ', '::1', '']) expect(quadValue(text)).toBe(-1);
  });

  test('property: the same answer as isIP and splitting the text', () => {
    const address = dottedTexts(['', '0', '00', '007', '01', ' 1', '0x1f', '1e2', '-1', '1.5', '%1']);
    fc.assert(
      fc.property(address, (text) => expect(quadValue(text)).toBe(reference(text))),
      { numRuns: 5000 },
    );
  });

  test('property: compareAddresses orders any two texts as by their parsed keys', () => {
    // The order before the shortcut: IPv4 then IPv6 by family and parts, other text last by its characters.
    const key = (text: string): number[] | undefined => {
      const unzoned = text.replace(/%.*$/, '');
      const family = isIP(unzoned);
      if (family === 4) return [4, ...unzoned.split('.').map(Number)];
      return family === 6 ? [6] : undefined;
    };
    const quads = fc.tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 })).map((q) => q.join('.'));
    const text = fc.oneof(quads, quads, dottedTexts(['0', '01', '255', '256']), fc.constantFrom('::1', 'fd00::2', 'zzz', '10.0.0.1%eth0'));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const x = key(a);
        const y = key(b);
        const order = Math.sign(compareAddresses(a, b));
        if (x && y && x[0] === 4 && y[0] === 4) {
          const d = x.findIndex((v, i) => v !== y[i]);
          expect(order).toBe(d < 0 ? 0 : Math.sign(x[d]! - y[d]!));
        } else if (x && y && x[0] !== y[0]) {
          expect(order).toBe(Math.sign(x[0]! - y[0]!));
        } else if (!x !== !y) {
          expect(order).toBe(x ? -1 : 1);
        }
        expect(Math.sign(compareAddresses(b, a))).toBe(-order || 0);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('ipv4Octets', () => {
  // The reading it had before its fast path: split on dots, each part a number from 0 to 255.
  const reference = (address: string) => {
    const parts = address.split('.').map(Number);
    return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
  };

  test('dotted quads, and what is not one', () => {
    expect(ipv4Octets('10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(ipv4Octets('255.255.255.255')).toEqual([255, 255, 255, 255]);
    for (const text of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1234.0.0.1', 'a.b.c.d', '']) expect(ipv4Octets(text)).toBeUndefined();
  });

  test('property: the same answer as splitting the text', () => {
    const address = dottedTexts(['', '0', '007', ' 1', '0x1f', '1e2', '-1', '1.5']);
    fc.assert(
      fc.property(address, (text) => expect(ipv4Octets(text)).toEqual(reference(text))),
      { numRuns: 3000 },
    );
  });
});
