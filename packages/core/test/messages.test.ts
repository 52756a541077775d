import { createTranslator, definePlugin, formatDiagnostic, type Diagnostic } from '@backendkit/core';
import { acceptedCondition, MAX_CONDITION_MESSAGE, printable } from '@backendkit/core/helpers';
import { z } from 'zod';

describe('control characters in human-readable text', () => {
  test('printable escapes C0, DEL, C1, line separators and bidi overrides', () => {
    expect(printable('a\nb\r\tc\x1b[31md\x7f\x9be\u2028f\u202eg\u2066h')).toBe('a\\nb\\r\\tc\\x1b[31md\\x7f\\x9be\\u2028f\\u202eg\\u2066h');
    expect(printable('plain text, ünïcödé, 漢字')).toBe('plain text, ünïcödé, 漢字');
  });

  test('a diagnostic cannot forge a line on stderr, whatever field holds the characters', () => {
    const diagnostic: Diagnostic = {
      severity: 'warning',
      code: 'x',
      message: 'bad value "a\nerror: forged"',
      path: 'spec["k\u001b[2J"]',
      resource: { kind: 'Backend', namespace: 'default', name: 'n\r' },
      source: { file: 'f\n.yaml', document: 0, line: 1 },
    };
    const line = formatDiagnostic(diagnostic);
    for (const control of ['\n', '\r', '\u001b']) expect(line).not.toContain(control);
    expect(line).toBe('warning: f\\n.yaml#0:1 Backend default/n\\r: spec["k\\x1b[2J"]: bad value "a\\nerror: forged"');
  });

  test('condition messages escape them too', () => {
    const condition = acceptedCondition([{ severity: 'error', code: 'x', message: 'oops\u009b31m\u202e' }]);
    expect(condition.message).toBe('Backend error: "oops\\x9b31m\\u202e"');
  });
});

describe('condition messages are bounded', () => {
  const errors = (n: number, width = 200): Diagnostic[] =>
    Array.from({ length: n }, (_, i) => ({ severity: 'error', code: 'x', path: `spec.items[${i}]`, message: `${'bad '.repeat(width / 4)}${i}` }));

  test('2,000 errors fit in 32,768 characters, with "… and N more"', () => {
    const { message } = acceptedCondition(errors(2000));
    expect(message.length).toBeLessThanOrEqual(MAX_CONDITION_MESSAGE);
    const shown = message.match(/"spec\.items\[\d+\]: /g)!.length;
    expect(message.startsWith('Backend has 2000 errors: "spec.items[0]: ')).toBe(true);
    expect(message.endsWith(` … and ${2000 - shown} more`)).toBe(true);
    expect(shown).toBeGreaterThan(100);
  });

  test('a few errors are all shown', () => {
    const { message } = acceptedCondition(errors(3, 8));
    expect(message).toBe('Backend has 3 errors: "spec.items[0]: bad bad 0" "spec.items[1]: bad bad 1" "spec.items[2]: bad bad 2"');
  });

  test('one error longer than the limit is counted, not cut mid-way', () => {
    const { message } = acceptedCondition(errors(1, 40_000));
    expect(message).toBe('Backend error: … and 1 more');
  });

  test("a plugin's own condition is bounded and escaped too", () => {
    const plugin = definePlugin({
      name: 'test/chatty',
      key: 'chatty',
      schema: z.strictObject({}),
      translate: () => ({
        cluster: { type: 'STRICT_DNS' },
        conditions: [{ type: 'Chatty', status: 'True', reason: 'Chatty', message: `x\n${'y'.repeat(100_000)}` }],
      }),
    });
    const result = createTranslator({ plugins: [plugin] }).translate([
      { apiVersion: 'gateway.kgateway.dev/v1alpha1', kind: 'Backend', metadata: { name: 'b', namespace: 'default' }, spec: { chatty: {} } },
    ]);
    const chatty = result.statuses[0]!.conditions.find((c) => c.type === 'Chatty')!;
    expect(chatty.message.length).toBe(MAX_CONDITION_MESSAGE);
    expect(chatty.message.startsWith('x\\ny')).toBe(true);
    expect(chatty.message.endsWith(' … (100003 characters in all)')).toBe(true);
  });
});
