import { create, toBinary } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { discovery } from '@backendkit/xds-types';

// Serializing a response of 20,000 clusters with `toBinary` walks every `Any` field by field; the
// resources are already bytes, so they are copied into the response instead, and the encoding of a
// snapshot's frozen list of resources is kept (docs/performance.md, "From a change to Envoy's ACK").
// The bytes are those `toBinary` writes: fields in number order, proto3 defaults left out; a test
// compares both.

const utf8 = new TextEncoder();
const typeUrlBytes = new Map<string, Uint8Array>();

function encodedTypeUrl(typeUrl: string): Uint8Array {
  let bytes = typeUrlBytes.get(typeUrl);
  if (!bytes) {
    bytes = utf8.encode(typeUrl);
    // Type URLs are few; a client sending made-up ones must not grow this without bound.
    if (typeUrlBytes.size < 256) typeUrlBytes.set(typeUrl, bytes);
  }
  return bytes;
}

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length += 1;
  }
  return length;
}

/** Writes a varint at `at`; returns the offset after it. */
function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/** One length-delimited field: its tag byte (field numbers below 16) and a body of `length` bytes. */
interface Piece {
  tag: number;
  length: number;
  write(out: Uint8Array, at: number): number;
}

function bytesPiece(tag: number, bytes: Uint8Array): Piece {
  return { tag, length: bytes.length, write: (out, at) => (out.set(bytes, at), at + bytes.length) };
}

function anyPiece(tag: number, any: Any): Piece {
  // An `Any` that carries unknown fields is left to the generic writer.
  if (any.$unknown && any.$unknown.length > 0) return bytesPiece(tag, toBinary(AnySchema, any));
  const url = any.typeUrl ? encodedTypeUrl(any.typeUrl) : undefined;
  const value = any.value;
  const length = (url ? 1 + varintLength(url.length) + url.length : 0) + (value.length ? 1 + varintLength(value.length) + value.length : 0);
  return {
    tag,
    length,
    write(out, at) {
      if (url) {
        out[at++] = 0x0a;
        at = writeVarint(out, at, url.length);
        out.set(url, at);
        at += url.length;
      }
      if (value.length) {
        out[at++] = 0x12;
        at = writeVarint(out, at, value.length);
        out.set(value, at);
        at += value.length;
      }
      return at;
    },
  };
}

/** Concatenates serialized fields with the length-delimited pieces between them. */
function concat(head: Uint8Array, pieces: readonly Piece[], tail: Uint8Array): Uint8Array {
  let size = head.length + tail.length;
  for (const p of pieces) size += 1 + varintLength(p.length) + p.length;
  const out = new Uint8Array(size);
  out.set(head, 0);
  let at = head.length;
  for (const p of pieces) {
    out[at++] = p.tag;
    at = writeVarint(out, at, p.length);
    at = p.write(out, at);
  }
  out.set(tail, at);
  return out;
}

/** The encoded `resources` field of a list of `Any`s: its bytes, and where each entry starts (and the end). */
interface EncodedList {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

// A snapshot's lists of `Any`s are frozen and kept per resource set (resource-set.ts), so their
// encoding is kept with them; a list derived from another by replacing a few entries copies the
// other's bytes around the new entries.
const encodedLists = new WeakMap<readonly Any[], EncodedList>();
const derivedLists = new WeakMap<readonly Any[], { base: readonly Any[]; changed: readonly number[] }>();

/** Records that `list` is `base` with the entries at `changed` (ascending) replaced. */
export function noteDerivedList(list: readonly Any[], base: readonly Any[], changed: readonly number[]): void {
  // Only a base already encoded is worth keeping, and it is kept only until `list` is encoded: no
  // chain of earlier lists (and their bytes) stays reachable from the latest one.
  if (encodedLists.has(base)) derivedLists.set(list, { base, changed });
}

function encodeList(list: readonly Any[]): EncodedList {
  const pieces = list.map((any) => anyPiece(0x12, any));
  const bytes = concat(new Uint8Array(0), pieces, new Uint8Array(0));
  const offsets = new Uint32Array(list.length + 1);
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    offsets[i] = at;
    at += 1 + varintLength(pieces[i]!.length) + pieces[i]!.length;
  }
  offsets[list.length] = at;
  return { bytes, offsets };
}

function spliceList(base: EncodedList, list: readonly Any[], changed: readonly number[]): EncodedList {
  const fresh = changed.map((i) => concat(new Uint8Array(0), [anyPiece(0x12, list[i]!)], new Uint8Array(0)));
  let size = base.bytes.length;
  changed.forEach((i, k) => (size += fresh[k]!.length - (base.offsets[i + 1]! - base.offsets[i]!)));
  const bytes = new Uint8Array(size);
  const offsets = new Uint32Array(list.length + 1);
  let from = 0;
  let at = 0;
  const copyUpTo = (end: number) => {
    bytes.set(base.bytes.subarray(base.offsets[from]!, base.offsets[end]!), at);
    const shift = at - base.offsets[from]!;
    for (let j = from; j < end; j++) offsets[j] = base.offsets[j]! + shift;
    at += base.offsets[end]! - base.offsets[from]!;
  };
  changed.forEach((i, k) => {
    copyUpTo(i);
    offsets[i] = at;
    bytes.set(fresh[k]!, at);
    at += fresh[k]!.length;
    from = i + 1;
  });
  copyUpTo(list.length);
  offsets[list.length] = at;
  return { bytes, offsets };
}

function encodedList(list: readonly Any[]): EncodedList {
  let encoded = encodedLists.get(list);
  if (!encoded) {
    const derived = Object.isFrozen(list) ? derivedLists.get(list) : undefined;
    const base = derived && encodedLists.get(derived.base);
    encoded = base && derived ? spliceList(base, list, derived.changed) : encodeList(list);
    derivedLists.delete(list);
    // Only a frozen list cannot change behind the kept bytes.
    if (Object.isFrozen(list)) encodedLists.set(list, encoded);
  }
  return encoded;
}

/**
 * `toBinary(DiscoveryResponseSchema, response)`, with each resource's bytes copied in: field 1
 * (`version_info`), then the resources (field 2), then the other fields.
 */
export function encodeDiscoveryResponse(response: discovery.DiscoveryResponse): Uint8Array {
  const head = toBinary(discovery.DiscoveryResponseSchema, create(discovery.DiscoveryResponseSchema, { versionInfo: response.versionInfo }));
  const tail = toBinary(discovery.DiscoveryResponseSchema, { ...response, versionInfo: '', resources: [] });
  const list = encodedList(response.resources).bytes;
  const out = new Uint8Array(head.length + list.length + tail.length);
  out.set(head, 0);
  out.set(list, head.length);
  out.set(tail, head.length + list.length);
  return out;
}

function resourcePiece(resource: discovery.Resource): Piece {
  const simple =
    resource.resource &&
    resource.aliases.length === 0 &&
    !resource.resourceName &&
    !resource.ttl &&
    !resource.cacheControl &&
    !resource.metadata &&
    !(resource.$unknown && resource.$unknown.length > 0);
  if (!simple) return bytesPiece(0x12, toBinary(discovery.ResourceSchema, resource));
  // Fields 1 (version), 2 (resource), 3 (name), as toBinary writes them.
  const version = utf8.encode(resource.version);
  const name = utf8.encode(resource.name);
  const any = anyPiece(0x12, resource.resource!);
  const field = (bytes: Uint8Array) => (bytes.length ? 1 + varintLength(bytes.length) + bytes.length : 0);
  return {
    tag: 0x12,
    length: field(version) + 1 + varintLength(any.length) + any.length + field(name),
    write(out, at) {
      const writeString = (tag: number, bytes: Uint8Array) => {
        if (!bytes.length) return;
        out[at++] = tag;
        at = writeVarint(out, at, bytes.length);
        out.set(bytes, at);
        at += bytes.length;
      };
      writeString(0x0a, version);
      out[at++] = 0x12;
      at = writeVarint(out, at, any.length);
      at = any.write(out, at);
      writeString(0x1a, name);
      return at;
    },
  };
}

/** `toBinary(DeltaDiscoveryResponseSchema, response)`, with each resource's bytes copied in. */
export function encodeDeltaDiscoveryResponse(response: discovery.DeltaDiscoveryResponse): Uint8Array {
  const head = toBinary(
    discovery.DeltaDiscoveryResponseSchema,
    create(discovery.DeltaDiscoveryResponseSchema, { systemVersionInfo: response.systemVersionInfo }),
  );
  const tail = toBinary(discovery.DeltaDiscoveryResponseSchema, { ...response, systemVersionInfo: '', resources: [] });
  return concat(head, response.resources.map(resourcePiece), tail);
}
