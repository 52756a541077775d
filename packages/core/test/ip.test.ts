import fc from 'fast-check';
import { compareAddresses } from '@backendkit/core/helpers';
import { isIP } from 'node:net';
import { canonicalQuad } from '../src/address-safety';
import { ipv4Octets } from '../src/ip';

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

describe('canonicalQuad (the address screen reads dotted quads without isIP)', () => {
  // What it stands for: the octets of a text `isIP` reads as IPv4.
  const reference = (address: string) => (isIP(address) === 4 ? address.split('.').map(Number) : undefined);

  test('dotted quads as isIP reads them, and what is not one', () => {
    expect(canonicalQuad('10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(canonicalQuad('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(canonicalQuad('255.255.255.255')).toEqual([255, 255, 255, 255]);
    for (const text of ['010.0.0.1', '10.0.0.01', '256.0.0.1', '1.2.3', '1.2.3.4.5', '127.0.0.1%eth0', '1.2.3.4 ', ''])
      expect(canonicalQuad(text)).toBeUndefined();
  });

  test('property: the same answer as isIP and splitting the text', () => {
    const address = dottedTexts(['', '0', '00', '007', '01', ' 1', '0x1f', '1e2', '-1', '1.5', '%1']);
    fc.assert(
      fc.property(address, (text) => expect(canonicalQuad(text)).toEqual(reference(text))),
      { numRuns: 5000 },
    );
  });
});
