import { SECRET_SOURCE, type Diagnostic, type SecretSource, type TranslateContext } from '@backendkit/core';
import { resourceSecretSource, secretValueProblem } from '@backendkit/core/helpers';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type CredentialsResult = { ok: true; credentials: AwsCredentials } | { ok: false; diagnostics: Diagnostic[] };

/** Keys of the Secret that `auth.secretRef` names (kgateway's names). */
export const SECRET_KEYS = { accessKey: 'accessKey', secretKey: 'secretKey', sessionToken: 'sessionToken' } as const;

/**
 * Reads AWS credentials from a Secret in the Backend's namespace. Messages name the Secret and the
 * key, never a value.
 */
export function readCredentials(ctx: TranslateContext, namespace: string, secretName: string, path: string): CredentialsResult {
  const source = ctx.resolve<SecretSource>(SECRET_SOURCE, () => resourceSecretSource(ctx.resources));
  const data = source.get(namespace, secretName);
  const where = `Secret ${namespace}/${secretName}`;
  const problem = (message: string): Diagnostic => ({ severity: 'error', code: 'invalid-credentials', message, path });
  if (!data) return { ok: false, diagnostics: [problem(`${where} not found`)] };
  const diagnostics: Diagnostic[] = [];
  const read = (key: string, required: boolean): string | undefined => {
    if (!(key in data)) {
      if (required) diagnostics.push(problem(`${where} has no key ${key}`));
      return undefined;
    }
    const value = data[key];
    if (value === undefined) diagnostics.push(problem(`key ${key} in ${where} ${secretValueProblem(data, key)}`));
    else if (value.trim() === '') diagnostics.push(problem(`key ${key} in ${where} is empty`));
    return value?.trim() || undefined;
  };
  const accessKeyId = read(SECRET_KEYS.accessKey, true);
  const secretAccessKey = read(SECRET_KEYS.secretKey, true);
  const sessionToken = read(SECRET_KEYS.sessionToken, false);
  if (diagnostics.length > 0 || !accessKeyId || !secretAccessKey) return { ok: false, diagnostics };
  return { ok: true, credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
}
