import type { core } from '@backendkit/xds-types';
import type { SnapshotCache } from './cache';
import type { XdsEvent, XdsEventListener, XdsProtocol } from './events';
import type { Snapshot } from './snapshot';

/** What a protocol handler needs from the server. */
export interface StreamContext {
  cache: SnapshotCache;
  emit: XdsEventListener;
  id: number;
}

/**
 * The part of an ADS stream both protocols share: the node (sent on the first request, possibly
 * omitted after), the cache watch for its key, nonces, events, and closing.
 */
export abstract class AdsStream<Response> {
  protected node: core.Node | undefined;
  protected nodeKey: string | undefined;
  private unwatch: (() => void) | undefined;
  private nonces = 0;
  private closed = false;

  constructor(
    protected readonly context: StreamContext,
    readonly protocol: XdsProtocol,
    private readonly write: (response: Response) => void,
  ) {}

  protected fields(): { stream: number; protocol: XdsProtocol; nodeId: string; nodeKey: string } {
    return { stream: this.context.id, protocol: this.protocol, nodeId: this.node?.id ?? '', nodeKey: this.nodeKey ?? '' };
  }

  protected emit(event: Record<string, unknown> & { kind: XdsEvent['kind'] }): void {
    this.context.emit({ ...this.fields(), ...event } as XdsEvent);
  }

  /** Takes the node from the first request that carries one, and starts watching its key. */
  protected identify(node: core.Node | undefined): void {
    if (this.nodeKey !== undefined) return;
    this.node = node;
    this.nodeKey = this.context.cache.nodeKey(node);
    this.emit({ kind: 'stream-open' });
    this.unwatch = this.context.cache.watch(this.nodeKey, (snapshot) => this.onSnapshot(snapshot));
  }

  protected snapshot(): Snapshot | undefined {
    return this.nodeKey === undefined ? undefined : this.context.cache.getSnapshot(this.nodeKey);
  }

  protected nextNonce(): string {
    this.nonces += 1;
    return String(this.nonces);
  }

  protected send(response: Response): void {
    if (!this.closed) this.write(response);
  }

  /** Called once a new snapshot is set for this stream's node key. */
  protected abstract onSnapshot(snapshot: Snapshot): void;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    if (this.nodeKey !== undefined) this.emit({ kind: 'stream-close' });
  }
}
