import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { discovery } from '@backendkit/xds-types';
import { AdsStream } from './stream';
import { isWildcardType, pushOrder } from './types';
import type { Snapshot } from './snapshot';

interface TypeState {
  wildcard: boolean;
  names: Set<string>;
  /** Nonce of the last response; requests carrying another one are stale. */
  nonce: string | undefined;
  /** Type version of the last response sent. */
  sent: string | undefined;
  /** A response is out and Envoy has not ACKed or NACKed it yet: the next one waits. */
  inFlight: boolean;
}

function sameNames(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((n) => b.has(n));
}

/**
 * State-of-the-world ADS (docs/xds-server.md). Per type: one response in flight at a time, a new
 * one when the type's version changes or the subscription does; a NACK keeps the refused version
 * from being sent again, and Envoy keeps what it last ACKed.
 */
export class SotwStream extends AdsStream<discovery.DiscoveryResponse> {
  private readonly types = new Map<string, TypeState>();

  onRequest(request: discovery.DiscoveryRequest): void {
    this.identify(request.node);
    const type = request.typeUrl;
    if (!type) return;
    let state = this.types.get(type);
    if (!state) {
      state = { wildcard: false, names: new Set(), nonce: undefined, sent: undefined, inFlight: false };
      this.types.set(type, state);
    }
    if (request.responseNonce) {
      // A request for an older response: Envoy will answer the newer one too, so wait for that.
      if (request.responseNonce !== state.nonce) return;
      state.inFlight = false;
      if (request.errorDetail) {
        this.emit({
          kind: 'nack',
          typeUrl: type,
          version: state.sent ?? '',
          nonce: request.responseNonce,
          errorDetail: { code: request.errorDetail.code, message: request.errorDetail.message },
        });
      } else {
        this.emit({ kind: 'ack', typeUrl: type, version: request.versionInfo, nonce: request.responseNonce });
      }
    }
    const names = new Set(request.resourceNames);
    const wildcard = names.has('*') || (names.size === 0 && isWildcardType(type));
    names.delete('*');
    const changed = state.sent === undefined || wildcard !== state.wildcard || !sameNames(names, state.names);
    state.wildcard = wildcard;
    state.names = names;
    this.respond(type, state, changed);
  }

  protected onSnapshot(): void {
    for (const type of pushOrder(this.types.keys())) this.respond(type, this.types.get(type)!, false);
  }

  private respond(type: string, state: TypeState, subscriptionChanged: boolean): void {
    const snapshot: Snapshot | undefined = this.snapshot();
    if (!snapshot || state.inFlight) return;
    const version = snapshot.typeVersion(type);
    if (!subscriptionChanged && state.sent === version) return;
    const all = snapshot.resourceSet(type);
    const named = state.wildcard ? undefined : [...state.names].sort().flatMap((n) => all.get(n) ?? []);
    const nonce = this.nextNonce();
    state.nonce = nonce;
    state.sent = version;
    state.inFlight = true;
    const response = create(discovery.DiscoveryResponseSchema, { versionInfo: version, typeUrl: type, nonce });
    // Every resource: the set's own frozen list, whose encoding is kept (docs/performance.md, "From a change to Envoy's ACK").
    response.resources = named ? named.map((r) => r.any) : (all.anys() as Any[]);
    this.send(response);
    this.emit({ kind: 'push', typeUrl: type, version, nonce, resources: named ? named.map((r) => r.name) : [...all.names()], removed: [] });
  }
}
