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

export function secretData(secret: KubeObject): SecretData {
  const values: Record<string, string | undefined> = {};
  if (isPlainObject(secret.data)) {
    for (const [key, raw] of Object.entries(secret.data)) {
      const text = typeof raw === 'string' ? raw.replace(/\s+/g, '') : undefined;
      values[key] = text !== undefined && BASE64.test(text) ? Buffer.from(text, 'base64').toString('utf8') : undefined;
    }
  }
  if (isPlainObject(secret.stringData)) {
    for (const [key, raw] of Object.entries(secret.stringData)) values[key] = typeof raw === 'string' ? raw : undefined;
  }
  return values;
}
