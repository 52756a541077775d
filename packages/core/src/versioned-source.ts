/**
 * An injected source (cloud instances, Secrets, endpoints from an informer) that says when its
 * answers may have changed. Results that read a source are reused by an incremental translation only
 * when the source has a `cacheVersion` and it is the same as before; a source without one is read
 * afresh on every translation. Change the version whenever anything the source answers changes.
 */
export interface VersionedSource {
  readonly cacheVersion: string | number;
}

/** The `cacheVersion` of a source, or undefined when it has none. */
export function sourceVersion(source: unknown): string | number | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const version = (source as Partial<VersionedSource>).cacheVersion;
  return typeof version === 'string' || typeof version === 'number' ? version : undefined;
}
