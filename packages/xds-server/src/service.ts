import type * as grpc from '@grpc/grpc-js';
import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { discovery } from '@backendkit/xds-types';
import { encodeDeltaDiscoveryResponse, encodeDiscoveryResponse } from './encode';

const SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';

/** The two ADS methods, typed by their protobuf-es messages. */
export interface AdsServiceDefinition extends grpc.ServiceDefinition {
  StreamAggregatedResources: grpc.MethodDefinition<discovery.DiscoveryRequest, discovery.DiscoveryResponse>;
  DeltaAggregatedResources: grpc.MethodDefinition<discovery.DeltaDiscoveryRequest, discovery.DeltaDiscoveryResponse>;
}

function method<Req extends DescMessage, Res extends DescMessage>(
  name: string,
  request: Req,
  response: Res,
  encode: (message: MessageShape<Res>) => Uint8Array,
): grpc.MethodDefinition<MessageShape<Req>, MessageShape<Res>> {
  return {
    path: `${SERVICE}/${name}`,
    requestStream: true,
    responseStream: true,
    requestSerialize: (message: MessageShape<Req>) => Buffer.from(toBinary(request, message)),
    requestDeserialize: (bytes: Buffer) => fromBinary(request, bytes),
    responseSerialize: (message: MessageShape<Res>) => {
      const bytes = encode(message);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    responseDeserialize: (bytes: Buffer) => fromBinary(response, bytes),
  };
}

/**
 * Envoy's AggregatedDiscoveryService as a grpc-js service definition, (de)serialized with the
 * generated protobuf-es schemas (responses through `encode.ts`, which copies each resource's bytes in). Servers add it; clients can make one with
 * `grpc.makeGenericClientConstructor(adsService, 'AggregatedDiscoveryService')`.
 */
export const adsService: AdsServiceDefinition = {
  StreamAggregatedResources: method('StreamAggregatedResources', discovery.DiscoveryRequestSchema, discovery.DiscoveryResponseSchema, encodeDiscoveryResponse),
  DeltaAggregatedResources: method(
    'DeltaAggregatedResources',
    discovery.DeltaDiscoveryRequestSchema,
    discovery.DeltaDiscoveryResponseSchema,
    encodeDeltaDiscoveryResponse,
  ),
};
