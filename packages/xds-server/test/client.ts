// A plain grpc-js ADS client for protocol tests: it sends the requests a test writes and queues
// the responses, so a test can play Envoy's part exactly (or misbehave on purpose).
import * as grpc from '@grpc/grpc-js';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { discovery } from '@backendkit/xds-types';
import { adsService } from '@backendkit/xds-server';

const AdsClient = grpc.makeGenericClientConstructor(adsService, 'AggregatedDiscoveryService');

class Queue<T> {
  private items: T[] = [];
  private waiters: Array<{ resolve: (v: T) => void; reject: (e: Error) => void }> = [];
  ended: Error | undefined;

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  end(error: Error): void {
    this.ended = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Responses received and not taken yet. */
  get size(): number {
    return this.items.length;
  }
}

export interface TestStream<Req extends { typeUrl?: string }, Res> {
  send(request: Req): void;
  next(): Promise<Res>;
  /** Responses received and not taken yet. */
  queued(): number;
  /** Resolves when the server ends the stream (with the status it sent). */
  ended: Promise<grpc.StatusObject>;
  close(): void;
}

function open<Req, Res>(client: grpc.Client, method: 'StreamAggregatedResources' | 'DeltaAggregatedResources'): TestStream<Req & { typeUrl?: string }, Res> {
  const call = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Req, Res>>)[method]!.call(client);
  const responses = new Queue<Res>();
  call.on('data', (response: Res) => responses.push(response));
  const ended = new Promise<grpc.StatusObject>((resolve) => {
    call.on('status', (status: grpc.StatusObject) => {
      responses.end(new Error(`stream ended: ${status.code} ${status.details}`));
      resolve(status);
    });
  });
  call.on('error', () => undefined);
  return {
    send: (request) => call.write(request),
    next: () => responses.next(),
    queued: () => responses.size,
    ended,
    close: () => call.cancel(),
  };
}

export type SotwStream = TestStream<discovery.DiscoveryRequest, discovery.DiscoveryResponse>;
export type DeltaStream = TestStream<discovery.DeltaDiscoveryRequest, discovery.DeltaDiscoveryResponse>;

export class TestAdsClient {
  private readonly client: grpc.Client;
  constructor(port: number) {
    this.client = new AdsClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }
  sotw(): SotwStream {
    return open(this.client, 'StreamAggregatedResources');
  }
  delta(): DeltaStream {
    return open(this.client, 'DeltaAggregatedResources');
  }
  close(): void {
    this.client.close();
  }
}

export function sotwRequest(init: MessageInitShape<typeof discovery.DiscoveryRequestSchema>): discovery.DiscoveryRequest {
  return create(discovery.DiscoveryRequestSchema, init);
}

export function deltaRequest(init: MessageInitShape<typeof discovery.DeltaDiscoveryRequestSchema>): discovery.DeltaDiscoveryRequest {
  return create(discovery.DeltaDiscoveryRequestSchema, init);
}

/** An ACK of a SotW response (same version and nonce, same names). */
export function ack(response: discovery.DiscoveryResponse, resourceNames: string[] = [], nodeId?: string): discovery.DiscoveryRequest {
  return sotwRequest({
    typeUrl: response.typeUrl,
    versionInfo: response.versionInfo,
    responseNonce: response.nonce,
    resourceNames,
    ...(nodeId ? { node: { id: nodeId } } : {}),
  });
}

/** Waits (up to 2 s) until server events that follow a client request have arrived. */
export async function waitForEvents(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
