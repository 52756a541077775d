import { digest, type XdsResource } from './resource';
import { ResourceSet } from './resource-set';

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
  private readonly byType = new Map<string, ResourceSet>();

  /** The snapshot's label: the one given, or a digest of its type versions. */
  readonly version: string;

  constructor(version: string | undefined, resources: Iterable<XdsResource>, grouped = new Map<string, XdsResource[]>()) {
    // `grouped` (internal): resources already grouped by type, arrays the snapshot may keep.
    for (const resource of resources) {
      let ofType = grouped.get(resource.typeUrl);
      if (!ofType) grouped.set(resource.typeUrl, (ofType = []));
      ofType.push(resource);
    }
    for (const [type, ofType] of grouped) {
      this.byType.set(
        type,
        ResourceSet.of(ofType, (name) => {
          throw new DuplicateResourceError(type, name);
        }),
      );
    }
    this.version =
      version ??
      digest(
        [...this.byType]
          .map(([t, set]) => `${t}=${set.version}`)
          .sort()
          .join(','),
      );
  }

  /** The type URLs this snapshot holds resources of. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Resources of a type by name, in name order (empty for a type the snapshot does not hold). */
  resources(typeUrl: string): ReadonlyMap<string, XdsResource> {
    return this.byType.get(typeUrl) ?? ResourceSet.empty;
  }

  /** @internal The resources of a type as the streams read them. */
  resourceSet(typeUrl: string): ResourceSet {
    return this.byType.get(typeUrl) ?? ResourceSet.empty;
  }

  /** The version of a type's resources; the same for every type the snapshot does not hold. */
  typeVersion(typeUrl: string): string {
    return this.byType.get(typeUrl)?.version ?? 'empty';
  }
}
