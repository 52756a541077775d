import type { z } from 'zod';
import { joinPath, type Diagnostic } from './diagnostics';

/** zod issues → diagnostics with full paths (`spec.static.hosts[0].port`). */
export function issuesToDiagnostics(error: z.ZodError, base: string, plugin: string, input: unknown): Diagnostic[] {
  return error.issues
    .map((issue) => {
      const path = joinPath(base, issue.path);
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        // One diagnostic per unknown field, pointing at the field itself.
        return issue.keys.map((key) => ({
          severity: 'error' as const,
          code: 'unknown-field',
          message: 'unknown field',
          path: joinPath(path, [key]),
          plugin,
        }));
      }
      if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) message = 'required';
      return [{ severity: 'error' as const, code: 'invalid-field', message, path, plugin }];
    })
    .flat();
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
