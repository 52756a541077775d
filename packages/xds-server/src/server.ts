import * as grpc from '@grpc/grpc-js';
import type { discovery } from '@backendkit/xds-types';
import { SnapshotCache } from './cache';
import { DeltaStream } from './delta';
import type { XdsEvent, XdsEventListener } from './events';
import { adsService } from './service';
import { SotwStream } from './sotw';
import type { AdsStream } from './stream';

export interface XdsServerOptions {
  /** The snapshots to serve; by default a new cache keyed by node id. */
  cache?: SnapshotCache;
  /** grpc-js server options (message sizes, keepalive). */
  grpcOptions?: grpc.ServerOptions;
}

/** The server was asked to listen twice, or used after `close()`. */
export class XdsServerStateError extends Error {
  override name = 'XdsServerStateError';
}

export function isXdsServerStateError(error: unknown): error is XdsServerStateError {
  return error instanceof XdsServerStateError;
}

type Call<Req, Res> = grpc.ServerDuplexStream<Req, Res>;

/**
 * An Envoy ADS server (docs/xds-server.md): state-of-the-world and delta streams for any type URL,
 * served from a {@link SnapshotCache}, with every push, ACK and NACK reported as an event.
 */
export class XdsServer {
  readonly cache: SnapshotCache;
  private readonly grpcServer: grpc.Server;
  private readonly listeners = new Set<XdsEventListener>();
  private readonly streams = new Map<AdsStream<unknown>, grpc.ServerDuplexStream<unknown, unknown>>();
  private streamIds = 0;
  private state: 'new' | 'listening' | 'closed' = 'new';

  constructor(options: XdsServerOptions = {}) {
    this.cache = options.cache ?? new SnapshotCache();
    this.grpcServer = new grpc.Server(options.grpcOptions);
    this.grpcServer.addService(adsService, {
      StreamAggregatedResources: (call: Call<discovery.DiscoveryRequest, discovery.DiscoveryResponse>) =>
        this.serve(call, (context, write) => new SotwStream(context, 'sotw', write)),
      DeltaAggregatedResources: (call: Call<discovery.DeltaDiscoveryRequest, discovery.DeltaDiscoveryResponse>) =>
        this.serve(call, (context, write) => new DeltaStream(context, 'delta', write)),
    });
  }

  /** Calls `listener` with every event; returns the function that stops it. */
  onEvent(listener: XdsEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens on `host:port` (port 0 picks a free one) without TLS; resolves the port bound. */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.state !== 'new') throw new XdsServerStateError(`the xDS server cannot listen: it is ${this.state}`);
    this.state = 'listening';
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise((resolve, reject) => {
      this.grpcServer.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
    });
  }

  /** The number of open streams. */
  streamCount(): number {
    return this.streams.size;
  }

  /**
   * Graceful shutdown: ends every stream (Envoy sees the stream close and keeps its configuration),
   * then stops the server, forcing it after `timeoutMs`.
   */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const [stream, call] of this.streams) {
      stream.close();
      call.end();
    }
    this.streams.clear();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, timeoutMs);
      this.grpcServer.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private emit(event: XdsEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private serve<Req, Res>(
    call: Call<Req, Res>,
    make: (context: { cache: SnapshotCache; emit: XdsEventListener; id: number }, write: (r: Res) => void) => AdsStream<Res> & { onRequest(r: Req): void },
  ): void {
    if (this.state === 'closed') {
      call.end();
      return;
    }
    this.streamIds += 1;
    const stream = make({ cache: this.cache, emit: (e) => this.emit(e), id: this.streamIds }, (response) => call.write(response));
    this.streams.set(stream as AdsStream<unknown>, call as unknown as grpc.ServerDuplexStream<unknown, unknown>);
    const finish = (): void => {
      if (!this.streams.delete(stream as AdsStream<unknown>)) return;
      stream.close();
    };
    call.on('data', (request: Req) => stream.onRequest(request));
    call.on('end', () => {
      finish();
      call.end();
    });
    call.on('cancelled', finish);
    call.on('error', finish);
    call.on('close', finish);
  }
}
