import fc from 'fast-check';
import { redact } from '@backendkit/core/helpers';
import { propertyRuns } from '@backendkit/testing';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY EXAMPLEKEY';

describe('redact', () => {
  test('cuts the value as written, JSON-escaped and URL-encoded (upper and lower case hex, + for a space)', () => {
    const url = encodeURIComponent(SECRET);
    const text = `a ${SECRET} b ${JSON.stringify(`x"${SECRET}`)} c ?k=${url} d ${url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())} e ${url.replace(/%20/g, '+')}`;
    const out = redact(text, [SECRET], '***');
    expect(out).toBe('a *** b "x\\"***" c ?k=*** d *** e ***');
  });

  test('cuts the base64 and base64url forms at any alignment inside a longer encoded text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), fc.boolean(), (before, after, url) => {
        const encoded = Buffer.concat([before, Buffer.from(SECRET), after]).toString(url ? 'base64url' : 'base64');
        const out = redact(`Authorization: Basic ${encoded}`, [SECRET], '***');
        expect(out).toContain('***');
        // What is left of the encoded text holds at most a few characters of the secret's bits.
        const left = out.slice('Authorization: Basic '.length).split('***');
        expect(left.join('').length).toBeLessThanOrEqual(encoded.length - Math.floor((SECRET.length * 4) / 3) + 4);
      }),
      { numRuns: propertyRuns(200), seed: 20261201 },
    );
  });

  test('a secret crossing a later cut is gone before the cut', () => {
    const message = `${'x'.repeat(290)}${SECRET}`;
    expect(redact(message, [SECRET], '***').slice(0, 300)).toBe(`${'x'.repeat(290)}***`);
  });

  test('short values are cut as written, but not in base64 (their fragment would match unrelated text)', () => {
    expect(redact('key abc, YWJj', ['abc'], '***')).toBe('key ***, YWJj');
  });
});
