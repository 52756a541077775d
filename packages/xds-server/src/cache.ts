import type { core } from '@backendkit/xds-types';
import { assertConsistent } from './consistency';
import type { Snapshot } from './snapshot';

/** Which snapshot a connecting Envoy gets: the key of its node (or node group). */
export type NodeKey = (node: core.Node | undefined) => string;

export interface SnapshotCacheOptions {
  /** Groups nodes: by default each node id is its own key. Return one constant to serve every node alike. */
  nodeKey?: NodeKey;
  /** Skip the consistency check on `setSnapshot` (docs/xds-server.md). Default false. */
  allowInconsistent?: boolean;
}

type Listener = (snapshot: Snapshot) => void;

/**
 * Snapshots by node key, in the spirit of go-control-plane's snapshot cache: set a snapshot for a
 * key and every stream of a node with that key is brought up to date. Refuses inconsistent
 * snapshots with an `InconsistentSnapshotError`.
 */
export class SnapshotCache {
  readonly nodeKey: NodeKey;
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly allowInconsistent: boolean;

  constructor(options: SnapshotCacheOptions = {}) {
    this.nodeKey = options.nodeKey ?? ((node) => node?.id ?? '');
    this.allowInconsistent = options.allowInconsistent ?? false;
  }

  /** Sets the snapshot of a node key and notifies its streams. Throws before changing anything if inconsistent. */
  setSnapshot(key: string, snapshot: Snapshot): void {
    if (!this.allowInconsistent) assertConsistent(snapshot);
    this.snapshots.set(key, snapshot);
    for (const listener of [...(this.listeners.get(key) ?? [])]) listener(snapshot);
  }

  getSnapshot(key: string): Snapshot | undefined {
    return this.snapshots.get(key);
  }

  /** Forgets a key's snapshot. Open streams keep what they were sent, and get the next one set. */
  clearSnapshot(key: string): void {
    this.snapshots.delete(key);
  }

  /** The keys that have a snapshot. */
  keys(): string[] {
    return [...this.snapshots.keys()];
  }

  /** Calls `listener` with each snapshot set for `key` from now on; returns the unsubscribe function. */
  watch(key: string, listener: Listener): () => void {
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }
}
