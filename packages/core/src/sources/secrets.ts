import type { ResourceReader, KubeObject } from '../resources';
import { isPlainObject } from '../load';

/** A Secret's keys and decoded values; `undefined` for a key whose value cannot be decoded. */
export type SecretData = Readonly<Record<string, string | undefined>>;

/**
 * Where plugins read Secrets. The default reads the Secrets given to the translation; a control
 * plane registers its own (an informer cache, a vault) under `SECRET_SOURCE`.
 */
export interface SecretSource {
  get(namespace: string, name: string): SecretData | undefined;
}

export const SECRET_SOURCE = Symbol.for('backendkit.SecretSource');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads Kubernetes Secrets: `data` is base64, `stringData` is plain and wins, as the API server does. */
export function resourceSecretSource(resources: ResourceReader): SecretSource {
  return {
    get(namespace, name) {
      const secret = resources.get<KubeObject>('Secret', namespace, name);
      return secret ? secretData(secret) : undefined;
    },
  };
}

/** Why each undecodable value of a `secretData` result is undefined, by key. */
const PROBLEMS = new WeakMap<SecretData, ReadonlyMap<string, string>>();

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A Secret's values: `data` decoded from base64, `stringData` as it is (and winning). A value that
 * cannot be read is `undefined`, and `secretValueProblem` says why: a `data` value that is not a
 * string or not base64, one whose bytes are not UTF-8 text (credentials are text: a replacement
 * character in place of the bad bytes would sign with the wrong key), a `stringData` value that is
 * not a string (a number, a list).
 */
export function secretData(secret: KubeObject): SecretData {
  const values: Record<string, string | undefined> = {};
  const problems = new Map<string, string>();
  const refuse = (key: string, problem: string) => {
    values[key] = undefined;
    problems.set(key, problem);
  };
  if (isPlainObject(secret.data)) {
    for (const [key, raw] of Object.entries(secret.data)) {
      const text = typeof raw === 'string' ? raw.replace(/\s+/g, '') : undefined;
      if (text === undefined) refuse(key, 'must be a base64 string (data)');
      else if (!BASE64.test(text)) refuse(key, 'is not valid base64');
      else {
        try {
          values[key] = UTF8.decode(Buffer.from(text, 'base64'));
        } catch {
          refuse(key, 'does not decode to UTF-8 text');
        }
      }
    }
  }
  if (isPlainObject(secret.stringData)) {
    for (const [key, raw] of Object.entries(secret.stringData)) {
      if (typeof raw === 'string') {
        values[key] = raw;
        problems.delete(key);
      } else refuse(key, `must be a string (stringData), not ${Array.isArray(raw) ? 'a list' : raw === null ? 'null' : `a ${typeof raw}`}`);
    }
  }
  if (problems.size > 0) PROBLEMS.set(values, problems);
  return values;
}

/**
 * Why `data[key]` is undefined (`is not valid base64`, `must be a string (stringData), not a
 * number`, ...), for values from `secretData`; a generic reason for a host's own source.
 */
export function secretValueProblem(data: SecretData, key: string): string | undefined {
  if (data[key] !== undefined || !(key in data)) return undefined;
  return PROBLEMS.get(data)?.get(key) ?? 'cannot be decoded';
}
