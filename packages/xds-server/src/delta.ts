import { create } from '@bufbuild/protobuf';
import { discovery } from '@backendkit/xds-types';
import { AdsStream } from './stream';
import type { XdsResource } from './resource';
import type { ResourceSet } from './resource-set';
import { isWildcardType, pushOrder } from './types';

interface TypeState {
  wildcard: boolean;
  names: Set<string>;
  /** Resource versions Envoy has (as of its last ACK, or what it said it had on connecting). */
  known: Map<string, string>;
  /**
   * The set `known` equals (wildcard streams, once Envoy has ACKed a whole set): a snapshot derived
   * from it needs only its replaced resources compared (docs/xds-server.md, "Delta").
   */
  knownSet: ResourceSet | undefined;
  /** What the response in flight changes in `known` once Envoy ACKs it, and the set `known` will then equal. */
  pending: { updates: XdsResource[]; removed: string[]; set: ResourceSet | undefined } | undefined;
  nonce: string | undefined;
  /** Type version of the response in flight, and of the last one Envoy refused. */
  sent: string | undefined;
  refused: string | undefined;
  /** The first response for the type has gone out (sent even when empty, so Envoy can finish warming). */
  answered: boolean;
}

/**
 * Incremental (delta) ADS (docs/xds-server.md): per type, the resources whose version differs from
 * what Envoy has, and the removed names; one response in flight at a time; after a NACK Envoy is
 * taken to have kept what it had, and the refused content is not sent again.
 */
export class DeltaStream extends AdsStream<discovery.DeltaDiscoveryResponse> {
  private readonly types = new Map<string, TypeState>();

  onRequest(request: discovery.DeltaDiscoveryRequest): void {
    this.identify(request.node);
    const type = request.typeUrl;
    if (!type) return;
    let state = this.types.get(type);
    const first = !state;
    if (!state) {
      state = {
        wildcard: false,
        names: new Set(),
        known: new Map(),
        knownSet: undefined,
        pending: undefined,
        nonce: undefined,
        sent: undefined,
        refused: undefined,
        answered: false,
      };
      this.types.set(type, state);
      for (const [name, version] of Object.entries(request.initialResourceVersions)) state.known.set(name, version);
      if (request.resourceNamesSubscribe.length === 0 && isWildcardType(type)) state.wildcard = true;
    }
    if (request.responseNonce && request.responseNonce === state.nonce && state.pending) {
      if (request.errorDetail) {
        state.refused = state.sent;
        this.emit({
          kind: 'nack',
          typeUrl: type,
          version: state.sent ?? '',
          nonce: request.responseNonce,
          errorDetail: { code: request.errorDetail.code, message: request.errorDetail.message },
        });
      } else {
        for (const r of state.pending.updates) state.known.set(r.name, r.version);
        for (const name of state.pending.removed) state.known.delete(name);
        state.knownSet = state.pending.set;
        this.emit({ kind: 'ack', typeUrl: type, version: state.sent ?? '', nonce: request.responseNonce });
      }
      state.pending = undefined;
    }
    // Subscription changes count even on a request for an older response: delta requests are not idempotent.
    let changed = first;
    for (const name of request.resourceNamesSubscribe) {
      if (name === '*') state.wildcard = true;
      else state.names.add(name);
      changed = true;
    }
    for (const name of request.resourceNamesUnsubscribe) {
      if (name === '*') state.wildcard = false;
      else state.names.delete(name);
      state.known.delete(name);
      if (state.pending) state.pending.updates = state.pending.updates.filter((r) => r.name !== name);
      changed = true;
    }
    if (changed) {
      state.knownSet = undefined;
      if (state.pending) state.pending.set = undefined;
    }
    this.respond(type, state, changed);
  }

  protected onSnapshot(): void {
    for (const type of pushOrder(this.types.keys())) this.respond(type, this.types.get(type)!, false);
  }

  private respond(type: string, state: TypeState, subscriptionChanged: boolean): void {
    const snapshot = this.snapshot();
    if (!snapshot || state.pending) return;
    const version = snapshot.typeVersion(type);
    if (!subscriptionChanged && state.refused === version) return;
    const all = snapshot.resourceSet(type);
    if (!subscriptionChanged && state.answered && state.knownSet === all) return;
    let updates: XdsResource[];
    let removed: string[];
    const derivation = all.derivation;
    if (state.wildcard && state.knownSet && derivation?.base === state.knownSet) {
      // Derived from what Envoy has: only the replaced resources can differ, and none is gone.
      updates = derivation.changed.map((i) => all.sorted[i]!).filter((r) => state.known.get(r.name) !== r.version);
      removed = [];
    } else {
      const inScope = (name: string): boolean => state.wildcard || state.names.has(name);
      updates = all.sorted.filter((r) => inScope(r.name) && state.known.get(r.name) !== r.version);
      removed = [...state.known.keys()].filter((name) => !all.has(name)).sort();
    }
    if (updates.length === 0 && removed.length === 0 && state.answered) {
      if (state.wildcard) state.knownSet = all;
      return;
    }
    const nonce = this.nextNonce();
    // With the wildcard, Envoy has the whole set once it ACKs: updates and removals make it so.
    const pending = { updates, removed, set: state.wildcard ? all : undefined };
    Object.assign(state, { nonce, sent: version, pending, answered: true });
    this.send(
      create(discovery.DeltaDiscoveryResponseSchema, {
        systemVersionInfo: version,
        typeUrl: type,
        nonce,
        removedResources: removed,
        resources: updates.map((r) => create(discovery.ResourceSchema, { name: r.name, version: r.version, resource: r.any })),
      }),
    );
    this.emit({ kind: 'push', typeUrl: type, version, nonce, resources: updates.map((r) => r.name), removed });
  }
}
