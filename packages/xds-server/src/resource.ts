import { createHash } from 'node:crypto';
import { toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { typeUrl } from '@backendkit/xds-types';

/** One xDS resource, packed once: its name, its `Any`, and a version that is a digest of its bytes. */
export interface XdsResource {
  readonly name: string;
  readonly typeUrl: string;
  readonly any: Any;
  /** Digest of the serialized message: equal content, equal version (docs/xds-server.md). */
  readonly version: string;
  /** The message itself when the resource was made from one, so checks need not unpack it. */
  readonly message?: unknown;
}

/** A resource was given without a name, and its message has neither `name` nor `clusterName`. */
export class ResourceNameError extends Error {
  override name = 'ResourceNameError';
}

export function isResourceNameError(error: unknown): error is ResourceNameError {
  return error instanceof ResourceNameError;
}

/** The short content digest used as resource and type versions. */
export function digest(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/**
 * Packs a message as an xDS resource. The name defaults to the message's `name` (clusters,
 * listeners, routes, secrets) or `clusterName` (assignments).
 */
export function xdsResource<D extends DescMessage>(schema: D, message: MessageShape<D>, name?: string): XdsResource {
  const fields = message as { name?: unknown; clusterName?: unknown };
  const resourceName = name ?? (typeof fields.name === 'string' && fields.name ? fields.name : fields.clusterName);
  if (typeof resourceName !== 'string' || resourceName === '') {
    throw new ResourceNameError(`a ${schema.typeName} resource needs a name`);
  }
  const any = anyPack(schema, message);
  return { name: resourceName, typeUrl: typeUrl(schema), any, version: digest(toBinary(schema, message)), message };
}
