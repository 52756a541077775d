import { UsageError } from './io';

export type OutputFormat = 'json' | 'yaml';

export function outputFormat(value: unknown): OutputFormat {
  if (value === 'json' || value === 'yaml') return value;
  throw new UsageError(`--output must be json or yaml, not ${JSON.stringify(value)}`);
}
