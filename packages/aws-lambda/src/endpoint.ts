import { isIP } from 'node:net';
import { isPort } from '@backendkit/core/helpers';

/** Where the cluster sends requests: a host, a port, and whether to speak TLS to it. */
export interface LambdaEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

export type EndpointParse = { ok: true; endpoint: LambdaEndpoint } | { ok: false; message: string };

const SCHEME = /^(https?):\/\/([^/?#]*)(.*)$/s;
// The authority must end in an explicit port: `host:port` or `[v6]:port`.
const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]*):([0-9]+)$/;

/** docs/aws-lambda.md: the Lambda endpoint of a region, always TLS on 443. */
export function regionEndpoint(region: string): LambdaEndpoint {
  return { host: `lambda.${region}.amazonaws.com`, port: 443, tls: true };
}

/**
 * Reads `lambda.endpointURL` (a local emulator, a VPC endpoint). The port must be written out: a
 * URL parser would fill in 80/443 silently, and kgateway requires it too. Messages never repeat the
 * URL, which could carry user info.
 */
export function parseEndpointUrl(raw: string): EndpointParse {
  const fail = (message: string): EndpointParse => ({ ok: false, message });
  const shape = SCHEME.exec(raw);
  if (!shape) return fail('must start with http:// or https://');
  const [, scheme, authority, rest] = shape as unknown as [string, string, string, string];
  if (authority.includes('@')) return fail('must not contain user information (user@host)');
  if (!authority.startsWith('[') && authority.split(':').length > 2) {
    return fail('must have a valid host name or IP address (write an IPv6 address in brackets)');
  }
  const hostPort = HOST_PORT.exec(authority);
  if (!hostPort) return fail('must include a port, e.g. https://lambda.local:4566');
  const port = Number(hostPort[2]);
  if (!isPort(port)) return fail('port must be between 1 and 65535');
  // The aws_lambda filter writes the request path itself, so a path here would be silently dropped.
  if (rest !== '' && rest !== '/') return fail('must not have a path, query or fragment (the aws_lambda filter sets the path)');
  let hostname: string;
  try {
    hostname = new URL(`${scheme}://${authority}`).hostname;
  } catch {
    return fail('must have a valid host name or IP address');
  }
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host === '' || (isIP(host) === 0 && !/^[a-z0-9_.-]+$/.test(host))) return fail('must have a valid host name or IP address');
  return { ok: true, endpoint: { host, port, tls: scheme === 'https' } };
}
