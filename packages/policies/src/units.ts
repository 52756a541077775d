/** kgateway's duration pattern (a CRD rule): up to four `<digits><unit>` parts. */
export const DURATION_PATTERN = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
export const INVALID_DURATION = 'invalid duration value';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a duration matching `DURATION_PATTERN`. */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, digits, unit] of text.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(digits) * UNIT_MS[unit!]!;
  return total;
}

/** A duration as proto3 JSON: `4h` → `14400s`, `250ms` → `0.250s`. */
export function protoDuration(text: string): string {
  const ms = durationMs(text);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}

/** Whole seconds, truncated, as kgateway writes TCP keepalive times. */
export function wholeSeconds(text: string): number {
  return Math.floor(durationMs(text) / 1000);
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes quantity (`64Ki`, `1M`, `65536`, a number) in units; undefined when it is not one. */
export function quantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(value);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const scale = BINARY[suffix] ?? DECIMAL[suffix] ?? 10 ** Number(suffix.slice(1));
  return Number(number) * scale;
}
