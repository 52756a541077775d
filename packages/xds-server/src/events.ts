/** How a stream speaks xDS: state of the world or incremental (delta). */
export type XdsProtocol = 'sotw' | 'delta';

interface StreamFields {
  /** A number per stream, counting from 1 in each server. */
  stream: number;
  protocol: XdsProtocol;
  /** The node id Envoy sent (empty until it sent one). */
  nodeId: string;
  /** The cache key of the node. */
  nodeKey: string;
}

/** Everything a server reports: streams, pushes, ACKs and NACKs (docs/xds-server.md). */
export type XdsEvent =
  | ({ kind: 'stream-open' } & StreamFields)
  | ({ kind: 'stream-close' } & StreamFields)
  | ({
      kind: 'push';
      typeUrl: string;
      /** `version_info` (SotW) or `system_version_info` (delta) of the response. */
      version: string;
      nonce: string;
      /** Names of the resources sent. */
      resources: string[];
      /** Names removed (delta only). */
      removed: string[];
    } & StreamFields)
  | ({ kind: 'ack'; typeUrl: string; version: string; nonce: string } & StreamFields)
  | ({
      kind: 'nack';
      typeUrl: string;
      /** The version Envoy refused. */
      version: string;
      nonce: string;
      /** Envoy's `error_detail`: its message says what it refused and why. */
      errorDetail: { code: number; message: string };
    } & StreamFields);

export type XdsEventListener = (event: XdsEvent) => void;

/** One line per event, as `backendkit serve` logs them. */
export function formatEvent(event: XdsEvent): string {
  const who = `node=${JSON.stringify(event.nodeId)} stream=${event.stream} ${event.protocol}`;
  const type = 'typeUrl' in event ? event.typeUrl.replace(/^type\.googleapis\.com\//, '') : '';
  switch (event.kind) {
    case 'stream-open':
      return `stream open ${who}`;
    case 'stream-close':
      return `stream closed ${who}`;
    case 'push':
      return `push ${type} version=${event.version} resources=${event.resources.length}${event.removed.length ? ` removed=${event.removed.length}` : ''} nonce=${event.nonce} ${who}`;
    case 'ack':
      return `ACK ${type} version=${event.version} nonce=${event.nonce} ${who}`;
    case 'nack':
      return `NACK ${type} version=${event.version} nonce=${event.nonce} ${who}: ${event.errorDetail.message.replace(/\s+/g, ' ').trim()}`;
  }
}
