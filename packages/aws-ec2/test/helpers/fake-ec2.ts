import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small EC2 Query API server on 127.0.0.1 for the real AWS SDK to talk to: form-encoded
 * `Action=DescribeInstances` in, `DescribeInstancesResponse` XML (or an EC2 error document) out.
 */

export interface FakeInstance {
  id: string;
  state?: string;
  privateIp?: string;
  publicIp?: string;
  zone?: string;
  tags?: Record<string, string>;
}

export interface FakeRequest {
  /** 0-based, in arrival order. */
  index: number;
  params: URLSearchParams;
  /** From the SigV4 Authorization header's credential scope. */
  accessKeyId?: string;
  region?: string;
  service?: string;
}

export type FakeReply =
  | { reservations: FakeInstance[][]; nextToken?: string }
  | { error: string; message?: string; status?: number }
  /** Never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Any body as it is (an empty reply, a proxy's HTML page), with this status (200 by default). */
  | { raw: string | Buffer; status?: number; contentType?: string };

export interface FakeEc2 {
  endpoint: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeEc2(handler: (request: FakeRequest) => FakeReply): Promise<FakeEc2> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = parseRequest(req, body, requests.length);
      requests.push(request);
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return send(res, 400, errorXml('InvalidRequest', 'expected a form-encoded POST'));
      }
      if (request.params.get('Action') !== 'DescribeInstances') {
        return send(res, 400, errorXml('InvalidAction', `unsupported action ${request.params.get('Action')}`));
      }
      const reply = handler(request);
      if ('hang' in reply) return;
      if ('raw' in reply) {
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'text/xml;charset=UTF-8' });
        return res.end(reply.raw);
      }
      if ('error' in reply) return send(res, reply.status ?? statusOf(reply.error), errorXml(reply.error, reply.message ?? `${reply.error} (fake)`));
      send(res, 200, describeXml(reply.reservations, reply.nextToken));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `pages` in order through NextToken (`page-1`, `page-2`, ...), checking the token it gets. */
export function pagedHandler(pages: FakeInstance[][][]): (request: FakeRequest) => FakeReply {
  return (request) => {
    const token = request.params.get('NextToken');
    const index = token === null ? 0 : Number(token.replace('page-', ''));
    const page = pages[index];
    if (!page) return { error: 'InvalidParameterValue', message: `unknown NextToken ${token}`, status: 400 };
    return { reservations: page, ...(index + 1 < pages.length ? { nextToken: `page-${index + 1}` } : {}) };
  };
}

function statusOf(code: string): number {
  if (code === 'AuthFailure') return 401;
  if (code === 'UnauthorizedOperation') return 403;
  if (code === 'RequestLimitExceeded') return 503;
  return 400;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

function parseRequest(req: IncomingMessage, body: string, index: number): FakeRequest {
  // AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ...
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  return {
    index,
    params: new URLSearchParams(body),
    ...(scope ? { accessKeyId: scope[1], region: scope[2], service: scope[3] } : {}),
  };
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
  res.end(xml);
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`;
}

function describeXml(reservations: FakeInstance[][], nextToken?: string): string {
  const items = reservations.map((instances, r) =>
    [
      '<item>',
      `<reservationId>r-${String(r).padStart(8, '0')}</reservationId>`,
      '<ownerId>123456789012</ownerId>',
      '<groupSet/>',
      `<instancesSet>${instances.map(instanceXml).join('')}</instancesSet>`,
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">',
    '<requestId>fake-request</requestId>',
    `<reservationSet>${items.join('')}</reservationSet>`,
    nextToken ? `<nextToken>${escape(nextToken)}</nextToken>` : '',
    '</DescribeInstancesResponse>',
  ].join('\n');
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

function instanceXml(instance: FakeInstance): string {
  const state = instance.state ?? 'running';
  const tags = Object.entries(instance.tags ?? {});
  return [
    '<item>',
    `<instanceId>${escape(instance.id)}</instanceId>`,
    '<imageId>ami-00000000</imageId>',
    `<instanceState><code>${STATE_CODES[state] ?? 0}</code><name>${escape(state)}</name></instanceState>`,
    instance.privateIp ? `<privateIpAddress>${escape(instance.privateIp)}</privateIpAddress>` : '',
    // The Query API calls the public address `ipAddress`.
    instance.publicIp ? `<ipAddress>${escape(instance.publicIp)}</ipAddress>` : '',
    instance.zone ? `<placement><availabilityZone>${escape(instance.zone)}</availabilityZone><tenancy>default</tenancy></placement>` : '',
    tags.length ? `<tagSet>${tags.map(([k, v]) => `<item><key>${escape(k)}</key><value>${escape(v)}</value></item>`).join('')}</tagSet>` : '',
    '<instanceType>t3.micro</instanceType>',
    '</item>',
  ].join('');
}

/** A DescribeInstancesResponse holding these instances, as the real server writes it. */
export function describeInstancesXml(instances: FakeInstance[]): string {
  return describeXml([instances]);
}
