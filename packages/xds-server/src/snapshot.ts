import { digest, type XdsResource } from './resource';

/** Two resources of one type in a snapshot share a name. */
export class DuplicateResourceError extends Error {
  override name = 'DuplicateResourceError';
  constructor(
    readonly typeUrl: string,
    readonly resourceName: string,
  ) {
    super(`two ${typeUrl} resources are named "${resourceName}"`);
  }
}

export function isDuplicateResourceError(error: unknown): error is DuplicateResourceError {
  return error instanceof DuplicateResourceError;
}

/**
 * What one node (or node group) is to be served: resources by type URL. Immutable. Each type has
 * a version that is a digest of its resources' names and contents, so a type whose content did not
 * change keeps its version and is not pushed again (docs/xds-server.md); `version` labels the
 * snapshot as a whole, for logs and events.
 */
export class Snapshot {
  private readonly byType = new Map<string, ReadonlyMap<string, XdsResource>>();
  private readonly versions = new Map<string, string>();

  /** The snapshot's label: the one given, or a digest of its type versions. */
  readonly version: string;

  constructor(version: string | undefined, resources: Iterable<XdsResource>) {
    const grouped = new Map<string, Map<string, XdsResource>>();
    for (const resource of resources) {
      const byName = grouped.get(resource.typeUrl) ?? new Map<string, XdsResource>();
      if (byName.has(resource.name)) throw new DuplicateResourceError(resource.typeUrl, resource.name);
      byName.set(resource.name, resource);
      grouped.set(resource.typeUrl, byName);
    }
    for (const [type, byName] of grouped) {
      const sorted = new Map([...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.byType.set(type, sorted);
      this.versions.set(type, digest([...sorted.values()].map((r) => `${r.name}\u0000${r.version}`).join('\u0000')));
    }
    this.version =
      version ??
      digest(
        [...this.versions]
          .map(([t, v]) => `${t}=${v}`)
          .sort()
          .join(','),
      );
  }

  /** The type URLs this snapshot holds resources of. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Resources of a type by name (empty for a type the snapshot does not hold). */
  resources(typeUrl: string): ReadonlyMap<string, XdsResource> {
    return this.byType.get(typeUrl) ?? new Map();
  }

  /** The version of a type's resources; the same for every type the snapshot does not hold. */
  typeVersion(typeUrl: string): string {
    return this.versions.get(typeUrl) ?? 'empty';
  }
}
